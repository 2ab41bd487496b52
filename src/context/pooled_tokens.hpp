// The token sets of a batch of ScoredItems: one vocabulary and one flat id
// buffer, owned together. Items hold a std::shared_ptr to the vocabulary that
// aliases the whole pool, so their token_ids spans stay valid as long as any
// of them lives.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "contextweaver/core/text_terms.hpp"

namespace contextweaver {

struct PooledTokens {
  TokenVocabulary vocabulary;
  std::vector<std::uint32_t> ids;     // every item's ids, back to back
  std::vector<std::size_t> begin{0};  // item i: ids[begin[i], begin[i + 1])

  // Tokenizes `text` into the pool as the next item; `scratch` receives its ids too.
  void add(std::string_view text, std::vector<std::uint32_t>& scratch) {
    vocabulary.token_ids(text, scratch);
    ids.insert(ids.end(), scratch.begin(), scratch.end());
    begin.push_back(ids.size());
  }
  // Item i's ids (valid once every item is added: the buffer no longer moves).
  std::span<const std::uint32_t> item(std::size_t i) const {
    return std::span<const std::uint32_t>(ids).subspan(begin[i], begin[i + 1] - begin[i]);
  }
};

// The vocabulary pointer the items hold: it shares ownership of the pool.
inline std::shared_ptr<const TokenVocabulary> pooled_vocabulary(const std::shared_ptr<PooledTokens>& pool) {
  return std::shared_ptr<const TokenVocabulary>(pool, &pool->vocabulary);
}

}  // namespace contextweaver
