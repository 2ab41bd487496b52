// Typo tolerance: bounded edit distance between analyzed terms.
#pragma once

#include <cstddef>
#include <string_view>

namespace contextweaver {

// Optimal-string-alignment distance (insert, delete, substitute, swap of two
// adjacent bytes each cost 1) between a and b, or max_distance + 1 as soon as
// it must exceed max_distance. Cost O(|a| · (2·max_distance + 1)).
std::size_t bounded_edit_distance(std::string_view a, std::string_view b, std::size_t max_distance);

// The distance a misspelling of a term of this length may have: 0 below 4
// bytes (too many real words lie one edit apart), 1 up to 7, 2 from 8.
std::size_t allowed_typo_distance(std::size_t length);

}  // namespace contextweaver
