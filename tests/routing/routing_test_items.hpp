// A catalog item with the fields the tree's parts (clustering, labeler,
// normalizer) read, shared by their tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace cwtest {

inline contextweaver::SelectableItem tool_item(const std::string& id, const std::string& name, const std::string& desc,
                                               std::vector<std::string> tags = {}, const std::string& ns = "") {
  contextweaver::SelectableItem it;
  it.id = id;
  it.kind = "tool";
  it.name = name;
  it.description = desc;
  it.tags = std::move(tags);
  it.namespace_ = ns;
  return it;
}

}  // namespace cwtest
