#include "contextweaver/core/text_terms.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

constexpr std::array<std::string_view, 128> kStopwords = {
    "a",       "about",   "above",  "after", "again",      "against", "all",      "am",        "an",        "and",
    "any",     "are",     "as",     "at",    "be",         "because", "been",     "before",    "being",     "below",
    "between", "both",    "but",    "by",    "can",        "cannot",  "could",    "did",       "do",        "does",
    "doing",   "down",    "during", "each",  "few",        "for",     "from",     "further",   "get",       "had",
    "has",     "have",    "having", "he",    "her",        "here",    "hers",     "herself",   "him",       "himself",
    "his",     "how",     "if",     "in",    "into",       "is",      "it",       "its",       "itself",    "just",
    "me",      "more",    "most",   "my",    "myself",     "no",      "nor",      "not",       "now",       "of",
    "off",     "on",      "once",   "only",  "or",         "other",   "our",      "ours",      "ourselves", "out",
    "over",    "own",     "same",   "she",   "should",     "so",      "some",     "such",      "than",      "that",
    "the",     "their",   "theirs", "them",  "themselves", "then",    "there",    "these",     "they",      "this",
    "those",   "through", "to",     "too",   "under",      "until",   "up",       "us",        "very",      "was",
    "we",      "were",    "what",   "when",  "where",      "which",   "while",    "who",       "whom",      "why",
    "will",    "with",    "would",  "you",   "your",       "yours",   "yourself", "yourselves"};

// Byte -> its lowered form when it can be part of a token ([a-z0-9_./-]
// after ASCII lowercasing), else 0. Bytes >= 0x80 are 0 here and handled by
// lower_into.
constexpr std::array<char, 256> kTokenByte = [] {
  std::array<char, 256> m{};
  for (int c = 'a'; c <= 'z'; ++c) m[static_cast<std::size_t>(c)] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) m[static_cast<std::size_t>(c)] = static_cast<char>(c + 32);
  for (int c = '0'; c <= '9'; ++c) m[static_cast<std::size_t>(c)] = static_cast<char>(c);
  for (char c : {'_', '.', '/', '-'}) m[static_cast<unsigned char>(c)] = c;
  return m;
}();

constexpr bool is_joiner(char c) {
  return c == '.' || c == '/' || c == '-';
}

// The non-ASCII part of text.lower() that can survive the split, leaving
// ASCII as it is (for_each_piece maps it): KELVIN SIGN becomes 'k', U+0130
// becomes "i " (the U+0307 that follows 'i' is a separator), and every other
// non-ASCII code point is a separator, ' '.
void lower_into(std::string_view text, std::string& out) {
  // ASCII maps 1:1 and a multi-byte code point to at most its byte count
  // (U+0130: 2 bytes -> "i "), so the output never outgrows the input.
  // ASCII bytes are copied as they are, 8 at a time: for_each_piece maps
  // every byte through token_byte afterwards, and token_byte(c) equals
  // token_byte of c's lowered-or-space form (kLowerThenMapIsMap).
  out.resize(text.size());
  char* w = out.data();
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (pos + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + pos, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        std::memcpy(w, &word, 8);
        w += 8;
        pos += 8;
        continue;
      }
    }
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) {
      *w++ = static_cast<char>(c);
      ++pos;
      continue;
    }
    const char32_t cp = decode_code_point(text, pos);
    if (cp == 0x212A) {
      *w++ = 'k';
    } else if (cp == 0x0130) {  // two bytes in, two chars out
      *w++ = 'i';
      *w++ = ' ';
    } else {
      *w++ = ' ';
    }
  }
  out.resize(static_cast<std::size_t>(w - out.data()));
}

// Bytes of zeros for_each_piece leaves after the text in its buffer.
constexpr std::size_t kPiecePadding = 8;

// kTokenByte[c] without a table lookup, so that a loop over bytes vectorizes.
constexpr char token_byte(unsigned char c) {
  const bool upper = static_cast<unsigned char>(c - 'A') < 26;
  const bool keep = static_cast<unsigned char>(c - 'a') < 26 || static_cast<unsigned char>(c - '0') < 10 || c == '_' ||
                    c == '.' || c == '/' || c == '-';
  return static_cast<char>(upper ? c + 32 : (keep ? c : 0));
}
constexpr bool token_byte_matches_table() {
  for (int c = 0; c < 256; ++c) {
    if (token_byte(static_cast<unsigned char>(c)) != kTokenByte[static_cast<std::size_t>(c)]) return false;
  }
  return true;
}
static_assert(token_byte_matches_table());
// lower_into copies ASCII unmapped: mapping a byte's lowered-or-space form
// gives what mapping the byte gives.
constexpr bool lower_then_map_is_map() {
  for (int c = 0; c < 0x80; ++c) {
    const char m = kTokenByte[static_cast<std::size_t>(c)];
    if (token_byte(static_cast<unsigned char>(m ? m : ' ')) != token_byte(static_cast<unsigned char>(c))) return false;
  }
  return true;
}
static_assert(lower_then_map_is_map(), "kLowerThenMapIsMap");
// The mapped bytes are 0 or token chars below 0x80, and the token chars below
// '0' are exactly the joiners (for_each_piece's word test relies on both).
constexpr bool joiners_below_digits() {
  for (int c = 0; c < 256; ++c) {
    const auto m = static_cast<unsigned char>(kTokenByte[static_cast<std::size_t>(c)]);
    if (m >= 0x80) return false;
    if (m != 0 && (m < 0x30) != is_joiner(static_cast<char>(m))) return false;
  }
  return true;
}
static_assert(joiners_below_digits(), "kJoinersBelowDigits");

// Bytewise tests on 8-byte little-endian words. zero_bytes flags each zero
// byte's high bit; the lowest flag is always right (a borrow can only add
// flags above a real zero byte). nonzero_bytes is exact.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
inline std::uint64_t zero_bytes(std::uint64_t w) {
  return (w - kOnes) & ~w & kHighs;
}
inline std::uint64_t nonzero_bytes(std::uint64_t w) {
  return (((w & ~kHighs) + ~kHighs) | w) & kHighs;
}
inline std::uint64_t word_at(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// for_each_piece's steps. Each is forced inline: they share the hottest loop
// of the tokenizer, and inlined they compile to the single loop they were.

// Maps `text` into `buffer`: every byte becomes its lowered token char or 0,
// followed by kPiecePadding zero bytes. Non-ASCII text is lowered first
// (leaving only token chars and ' '); then one branch-free pass maps every
// byte, and the split reads that map. Mapping everything before the split
// (instead of writing each run while splitting) also means a piece is never
// re-read as a word right after being written byte by byte, which stalled
// TokenVocabulary's word loads. Returns the mapped text (without padding).
[[gnu::always_inline]] inline std::string_view map_token_bytes(std::string_view text, std::string& buffer) {
  unsigned char high = 0;
  for (char c : text) high |= static_cast<unsigned char>(c);
  std::size_t n = text.size();
  if (high >= 0x80) {
    lower_into(text, buffer);
    n = buffer.size();
  }
  buffer.resize(n + kPiecePadding);
  char* const out = buffer.data();
  const char* const in = high >= 0x80 ? out : text.data();
  for (std::size_t i = 0; i < n; ++i) out[i] = token_byte(static_cast<unsigned char>(in[i]));
  // Zero padding after the text: a piece can be read 8 bytes at a time (load_word).
  std::memset(out + n, 0, kPiecePadding);
  return std::string_view(out, n);
}

// The position of the next token char at or after `pos` (>= n when none),
// 8 bytes at a time: a branch per word instead of per byte.
[[gnu::always_inline]] inline std::size_t skip_separators(const char* out, std::size_t pos, std::size_t n) {
  if constexpr (std::endian::native == std::endian::little) {
    while (true) {
      const std::uint64_t nz = nonzero_bytes(word_at(out + pos));
      if (nz) return pos + (static_cast<std::size_t>(std::countr_zero(nz)) >> 3);
      pos += 8;
      if (pos >= n) return pos;
    }
  } else {
    while (pos < n && out[pos] == 0) ++pos;
    return pos;
  }
}

// Advances `pos` past the run of token chars that starts there (the zero
// padding ends the last run), 8 bytes at a time; true when the run holds a
// joiner.
[[gnu::always_inline]] inline bool scan_run(const char* out, std::size_t& pos) {
  bool joined = false;
  if constexpr (std::endian::native == std::endian::little) {
    while (true) {
      const std::uint64_t w = word_at(out + pos);
      const std::uint64_t z = zero_bytes(w);
      const std::size_t len = z ? static_cast<std::size_t>(std::countr_zero(z)) >> 3 : 8;
      // Inside the run every byte is a token char, and the joiners are the
      // only ones below '0' (see kJoinersBelowDigits): adding 0x50 to bytes
      // < 0x80 never carries into the next byte and leaves the high bit
      // clear exactly for bytes below 0x30.
      const std::uint64_t j = ~(w + kOnes * 0x50) & kHighs;
      joined |= (len == 8 ? j : j & ((std::uint64_t{1} << (8 * len)) - 1)) != 0;
      pos += len;
      if (len < 8) return joined;
    }
  } else {
    while (out[pos] != 0) {
      joined |= is_joiner(out[pos]);
      ++pos;
    }
    return joined;
  }
}

// A run holding joiners: the run trimmed of leading and trailing joiners,
// then, when joiners remain inside, each part between joiner runs.
template <class Emit>
[[gnu::always_inline]] inline void emit_joined_run(std::string_view run, Emit& emit) {
  std::size_t start = 0;
  std::size_t end = run.size();
  while (start < end && is_joiner(run[start])) ++start;
  while (end > start && is_joiner(run[end - 1])) --end;
  if (start == end) return;
  const std::string_view compound = run.substr(start, end - start);
  emit(compound);
  // An inline scan: find_first_of calls memchr once per byte.
  if (std::none_of(compound.begin(), compound.end(), is_joiner)) return;
  // Trimmed, so the parts between joiner runs are never empty.
  std::size_t p = 0;
  while (true) {
    std::size_t q = p;
    while (q < compound.size() && !is_joiner(compound[q])) ++q;
    emit(compound.substr(p, q - p));
    if (q >= compound.size()) break;
    while (q < compound.size() && is_joiner(compound[q])) ++q;
    p = q;
  }
}

// Calls emit(piece) for every piece of tokenize_list before its length and
// stopword filter, in occurrence order. `buffer` is scratch space; the pieces
// point into it, and are followed by at least kPiecePadding readable bytes.
template <class Emit>
void for_each_piece(std::string_view text, std::string& buffer, Emit&& emit) {
  const std::string_view s = map_token_bytes(text, buffer);
  const char* const out = s.data();
  const std::size_t n = s.size();
  std::size_t pos = 0;
  while (pos < n) {
    pos = skip_separators(out, pos, n);
    if (pos >= n) break;
    const std::size_t start = pos;
    const bool joined = scan_run(out, pos);
    if (!joined) {
      if (pos > start) emit(s.substr(start, pos - start));
      continue;
    }
    emit_joined_run(s.substr(start, pos - start), emit);
  }
}

std::uint64_t hash_bytes(std::string_view s) {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (s.size() * 0xD6E8FEB86659FD93ULL);
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  }
  std::uint64_t tail = 0;
  for (std::size_t k = 0; i + k < s.size(); ++k) tail |= std::uint64_t{static_cast<unsigned char>(s[i + k])} << (8 * k);
  h = (h ^ tail) * 0x94D049BB133111EBULL;
  return h ^ (h >> 29);
}

// The bytes [p, p + min(len, 8)) as a little-endian word, zero-padded; p must
// have 8 readable bytes (a piece of for_each_piece).
std::uint64_t load_word(const char* p, std::size_t len) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return len >= 8 ? w : w & ((std::uint64_t{1} << (8 * len)) - 1);
}

// hash_bytes(s) (the same value) for a piece of for_each_piece: the tail is
// one padded load instead of a loop over its bytes.
std::uint64_t hash_piece(std::string_view s) {
  if constexpr (std::endian::native != std::endian::little) return hash_bytes(s);
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (s.size() * 0xD6E8FEB86659FD93ULL);
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    h = (h ^ load_word(s.data() + i, 8)) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  }
  const std::uint64_t tail = i < s.size() ? load_word(s.data() + i, s.size() - i) : 0;
  h = (h ^ tail) * 0x94D049BB133111EBULL;
  return h ^ (h >> 29);
}

}  // namespace

bool is_stopword(std::string_view token) {
  // An open-addressing set over the 128 words (a quarter full): one hash and
  // usually one comparison, instead of a binary search.
  constexpr std::size_t kSlots = 512;
  static const std::array<std::string_view, kSlots> table = [] {
    std::array<std::string_view, kSlots> t{};
    for (std::string_view w : kStopwords) {
      std::size_t i = hash_bytes(w) & (kSlots - 1);
      while (!t[i].empty()) i = (i + 1) & (kSlots - 1);
      t[i] = w;
    }
    return t;
  }();
  if (token.empty() || token.size() > 10) return false;  // the longest is "yourselves"
  for (std::size_t i = hash_bytes(token) & (kSlots - 1); !table[i].empty(); i = (i + 1) & (kSlots - 1)) {
    if (table[i] == token) return true;
  }
  return false;
}

std::vector<std::string> tokenize_list(std::string_view text) {
  std::string buffer;
  std::vector<std::string> out;
  for_each_piece(text, buffer, [&out](std::string_view piece) {
    // Every kept character is ASCII, so byte length is code-point length.
    if (piece.size() >= 2 && !is_stopword(piece)) out.emplace_back(piece);
  });
  return out;
}

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> tokens = tokenize_list(text);
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

double jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() && b.empty()) return 0.0;
  std::size_t common = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  const std::size_t united = a.size() + b.size() - common;
  return static_cast<double>(common) / static_cast<double>(united);
}

double id_jaccard(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  if (a.empty() && b.empty()) return 0.0;
  std::size_t common = 0;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  const std::size_t united = a.size() + b.size() - common;
  return static_cast<double>(common) / static_cast<double>(united);
}

// Sized for a typical build's vocabulary (a few hundred tokens) so that most
// never grow.
TokenVocabulary::TokenVocabulary() : slots_(512, 0) {
  entries_.reserve(192);
  chars_.reserve(2048);
}

namespace {

// The first (up to) 8 bytes of a piece, zero-padded: with the length and the
// hash it settles most comparisons without a call to memcmp.
std::uint64_t head_of(std::string_view s) {
  std::uint64_t h = 0;
  std::memcpy(&h, s.data(), std::min<std::size_t>(s.size(), 8));
  return h;
}

// is_stopword(piece) for a padded piece (see load_word): the stopwords are
// kept as (length, first 8 bytes, rest) and compared a word at a time, with
// no hashing loop over the bytes. Called for every new vocabulary entry.
bool is_stopword_piece(std::string_view piece) {
  struct Slot {
    std::uint64_t head = 0;
    std::uint64_t rest = 0;
    std::size_t length = 0;  // 0: empty slot
  };
  constexpr std::size_t kSlots = 512;
  auto slot_of = [](std::uint64_t head, std::size_t length) {
    return static_cast<std::size_t>((head * 0x9E3779B97F4A7C15ULL + length) >> 55) & (kSlots - 1);
  };
  auto rest_of = [](std::string_view w) {
    std::uint64_t r = 0;
    if (w.size() > 8) std::memcpy(&r, w.data() + 8, w.size() - 8);
    return r;
  };
  static const std::array<Slot, kSlots> table = [&] {
    std::array<Slot, kSlots> t{};
    for (std::string_view w : kStopwords) {
      const std::uint64_t head = head_of(w);
      std::size_t i = slot_of(head, w.size());
      while (t[i].length) i = (i + 1) & (kSlots - 1);
      t[i] = Slot{head, rest_of(w), w.size()};
    }
    return t;
  }();
  if (piece.empty() || piece.size() > 10) return false;  // the longest is "yourselves"
  const std::uint64_t head = load_word(piece.data(), piece.size());
  const std::uint64_t rest = piece.size() > 8 ? load_word(piece.data() + 8, piece.size() - 8) : 0;
  for (std::size_t i = slot_of(head, piece.size()); table[i].length; i = (i + 1) & (kSlots - 1)) {
    if (table[i].length == piece.size() && table[i].head == head && table[i].rest == rest) return true;
  }
  return false;
}

}  // namespace

void TokenVocabulary::grow() {
  std::vector<std::uint64_t> bigger(slots_.size() * 2, 0);
  const std::size_t mask = bigger.size() - 1;
  for (std::uint32_t id = 0; id < entries_.size(); ++id) {
    const std::uint32_t h = entries_[id].hash;
    std::size_t i = h & mask;
    while (bigger[i] != 0) i = (i + 1) & mask;
    bigger[i] = (std::uint64_t{h} << 32) | (id + 1);
  }
  slots_.swap(bigger);
}

// The lookup is small enough to inline into token_ids; a new entry (about
// half the pieces of a build) takes the out-of-line add_entry, so the hit path
// keeps few registers live.
inline std::uint32_t TokenVocabulary::intern(std::string_view piece) {
  // `piece` comes from for_each_piece: padded, so whole-word loads are safe.
  const auto h = static_cast<std::uint32_t>(hash_piece(piece));
  const std::uint64_t head =
      std::endian::native == std::endian::little ? load_word(piece.data(), piece.size()) : head_of(piece);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = h & mask;
  while (const std::uint64_t slot = slots_[i]) {
    if (static_cast<std::uint32_t>(slot >> 32) == h) {
      const auto id = static_cast<std::uint32_t>(slot) - 1;
      const Entry& e = entries_[id];
      if (e.length == piece.size() && e.head == head &&
          (piece.size() <= 8 || std::memcmp(chars_.data() + e.offset + 8, piece.data() + 8, piece.size() - 8) == 0)) {
        return id;
      }
    }
    i = (i + 1) & mask;
  }
  return add_entry(piece, h, head, i);
}

[[gnu::noinline]] std::uint32_t TokenVocabulary::add_entry(std::string_view piece, std::uint32_t h, std::uint64_t head,
                                                           std::size_t slot) {
  const auto id = static_cast<std::uint32_t>(entries_.size());
  entries_.push_back(
      Entry{head, static_cast<std::uint32_t>(chars_used_), static_cast<std::uint32_t>(piece.size()), h, 0,
            !(std::endian::native == std::endian::little ? is_stopword_piece(piece) : is_stopword(piece))});
  // chars_ keeps 16 bytes of slack past chars_used_, and a piece is followed
  // by 8 readable bytes, so a piece of up to 16 bytes is copied as one or two
  // words instead of through a memcpy call.
  if (chars_used_ + piece.size() + 16 > chars_.size()) {
    chars_.resize(std::max(2 * chars_.size(), chars_used_ + piece.size() + 16));
  }
  char* const dst = chars_.data() + chars_used_;
  if (piece.size() <= 8) {
    std::memcpy(dst, piece.data(), 8);
  } else if (piece.size() <= 16) {
    std::memcpy(dst, piece.data(), 16);
  } else {
    std::memcpy(dst, piece.data(), piece.size());
  }
  chars_used_ += piece.size();
  slots_[slot] = (std::uint64_t{h} << 32) | (id + 1);
  if (2 * entries_.size() > slots_.size()) grow();
  return id;
}

void TokenVocabulary::token_ids(std::string_view text, std::vector<std::uint32_t>& out) {
  out.clear();
  // A per-call stamp marks the ids already taken from this text: unique
  // without sorting.
  if (++stamp_ == 0) {
    for (auto& e : entries_) e.seen = 0;
    stamp_ = 1;
  }
  for_each_piece(text, lowered_, [this, &out](std::string_view piece) {
    if (piece.size() < 2) return;  // too short to be a token: no need to intern
    const std::uint32_t id = intern(piece);
    Entry& e = entries_[id];
    if (e.kept && e.seen != stamp_) {
      e.seen = stamp_;
      out.push_back(id);
    }
  });
}

std::vector<std::uint32_t> TokenVocabulary::token_ids(std::string_view text) {
  std::vector<std::uint32_t> out;
  token_ids(text, out);
  return out;
}

}  // namespace contextweaver
