// Byte-pair merging of one pre-tokenized piece, exactly as tiktoken's
// _byte_pair_merge: repeatedly merge the adjacent pair whose concatenation
// has the lowest rank, the leftmost one on ties, until no pair is a token.
#pragma once

#include "rank_table.hpp"

#include <string_view>
#include <vector>

namespace contextweaver::tokens_detail {

// Appends the tokens of `piece` (non-empty) to `out`. Short pieces use
// tiktoken's quadratic scan (fastest at that size); long ones a min-heap over
// a linked list of parts, O(n log n), so 2,000-byte words stay linear-ish.
void byte_pair_encode(const RankTable& table, std::string_view piece, std::vector<Rank>& out);

// The two strategies, exposed so tests can check they agree on any input.
void byte_pair_encode_scan(const RankTable& table, std::string_view piece, std::vector<Rank>& out);
void byte_pair_encode_heap(const RankTable& table, std::string_view piece, std::vector<Rank>& out);

}  // namespace contextweaver::tokens_detail
