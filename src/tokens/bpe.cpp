// BpeEncoding (bpe.hpp): encoding and decoding with a loaded table; loading
// is in bpe_load.cpp.
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/tokens/bpe.hpp"
#include "bpe_merge.hpp"

#include <limits>

namespace contextweaver {

using tokens_detail::kNoRank;

BpeEncoding::BpeEncoding() = default;
BpeEncoding::~BpeEncoding() = default;

std::size_t BpeEncoding::vocab_size() const {
  return table_->size();
}

// Feeds every token of `text` to sink.push(id) / sink.count(n). Most pieces
// are whole tokens (one lookup); the rest go through the merge loop.
template <class Sink>
void BpeEncoding::encode_pieces(std::string_view text, Sink& sink) const {
  if (text.size() >= std::numeric_limits<std::uint32_t>::max())
    throw ValueError("text too long to tokenize: " + std::to_string(text.size()) + " bytes");
  thread_local std::vector<TokenId> scratch;
  PieceScanner scanner(pattern_, text);
  std::string_view piece;
  while (scanner.next(piece)) {
    const TokenId whole = table_->find(piece);
    if (whole != kNoRank) {
      sink.push(whole);
    } else {
      scratch.clear();
      tokens_detail::byte_pair_encode(*table_, piece, scratch);
      sink.push_all(scratch);
    }
  }
  if (scanner.saw_invalid_utf8()) {
    // tiktoken sees text, never bytes: tokenize what the text decodes to.
    sink.reset();
    const std::string fixed = decode_utf8_replace(text);
    encode_pieces(fixed, sink);
  }
}

namespace {

struct VectorSink {
  std::vector<TokenId>& out;
  std::size_t base;
  void push(TokenId id) { out.push_back(id); }
  void push_all(const std::vector<TokenId>& ids) { out.insert(out.end(), ids.begin(), ids.end()); }
  void reset() { out.resize(base); }
};

struct CountSink {
  std::size_t n = 0;
  void push(TokenId) { ++n; }
  void push_all(const std::vector<TokenId>& ids) { n += ids.size(); }
  void reset() { n = 0; }
};

}  // namespace

std::vector<TokenId> BpeEncoding::encode_ordinary(std::string_view text) const {
  std::vector<TokenId> out;
  out.reserve(text.size() / 4 + 8);
  VectorSink sink{out, 0};
  encode_pieces(text, sink);
  return out;
}

std::size_t BpeEncoding::count(std::string_view text) const {
  CountSink sink;
  encode_pieces(text, sink);
  return sink.n;
}

std::vector<TokenId> BpeEncoding::encode_with_special_tokens(std::string_view text) const {
  std::vector<TokenId> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    // The earliest special token from pos (no special token is a prefix of
    // another, so at most one starts at any offset).
    std::size_t best = std::string_view::npos;
    const std::pair<std::string, TokenId>* hit = nullptr;
    for (const auto& special : special_) {
      const std::size_t at = text.find(special.first, pos);
      if (at < best) {
        best = at;
        hit = &special;
      }
    }
    const std::string_view chunk = text.substr(pos, hit ? best - pos : std::string_view::npos);
    VectorSink sink{out, out.size()};
    encode_pieces(chunk, sink);
    if (!hit) break;
    out.push_back(hit->second);
    pos = best + hit->first.size();
  }
  return out;
}

std::string BpeEncoding::decode(std::span<const TokenId> tokens) const {
  std::string out;
  for (const TokenId id : tokens) {
    const std::string_view bytes = table_->token(id);
    if (!bytes.empty()) {
      out.append(bytes);
      continue;
    }
    bool found = false;
    for (const auto& special : special_) {
      if (special.second == id) {
        out.append(special.first);
        found = true;
        break;
      }
    }
    if (!found) throw ValueError("Invalid token for decoding: " + std::to_string(id));
  }
  return out;
}

}  // namespace contextweaver
