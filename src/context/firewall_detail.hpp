// Private to the context module: the firewall's steps that do not touch the
// artifact store, shared by apply_firewall (firewall.cpp) and the warm
// build's records (build_cache.cpp), which must produce the same envelope.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/summarize/protocols.hpp"

namespace contextweaver::context_detail {

// metadata["media_type"] (its JSON text when not a string), else "text/plain".
std::string media_type_of(const Json& metadata);

// What the firewall makes of one raw result: the summary (the summarizer's,
// else the first paragraph; "(summary unavailable)" and status "error" when
// it throws) and the facts (the extractor's, else extract_facts; none and
// status "partial" when it throws).
struct Interception {
  std::string status = "ok";
  std::string summary;
  std::vector<std::string> facts;
};
Interception intercept(std::string_view raw, const Json& metadata, const Summarizer* summarizer,
                       const Extractor* extractor);

}  // namespace contextweaver::context_detail
