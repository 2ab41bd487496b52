// Small synthetic encoder tables in the npm tiktoken JSON format, for tests
// that must not depend on the real (downloaded) tables.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cwtest {

struct SyntheticTable {
  std::vector<std::string> tokens;  // tokens[rank]
  std::map<std::string, unsigned> specials;
  std::string pat_str;  // defaults to cl100k's
};

// All 256 bytes (in a shuffled rank order) plus `merges` random
// concatenations of existing tokens over the letters "abcd".
SyntheticTable make_synthetic_table(unsigned seed, int merges);

// The encoder JSON of a table; bpe_ranks is split into lines of varying
// length, each with its own rank offset, as the npm files may be.
std::string to_encoder_json(const SyntheticTable& table);

}  // namespace cwtest
