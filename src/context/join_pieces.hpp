// The prompt's joining rule, shared by join_prompt over strings (prompt.cpp)
// and over RenderedItems (selection.cpp): header, items and footer, each
// present part separated from the previous one by `separator`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace contextweaver::context_detail {

// `pieces` has size() and operator[] yielding something appendable to a
// string; `body_bytes` is the sum of the pieces' sizes (for the reservation).
template <class Pieces>
std::string join_pieces(const Pieces& pieces, std::size_t body_bytes, std::string_view separator,
                        std::string_view header, std::string_view footer) {
  std::string out;
  out.reserve(header.size() + footer.size() + 2 * separator.size() + body_bytes + pieces.size() * separator.size());
  bool any = false;
  if (!header.empty()) {
    out += header;
    any = true;
  }
  if (pieces.size() > 0) {
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      if (any || i) out += separator;
      out += pieces[i];
    }
    any = true;
  }
  if (!footer.empty()) {
    if (any) out += separator;
    out += footer;
  }
  return out;
}

}  // namespace contextweaver::context_detail
