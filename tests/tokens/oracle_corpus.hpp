// The texts the tokenizer is checked on against the npm tiktoken oracle.
#pragma once

#include <string>
#include <vector>

namespace cwtest {

// Every scenario text of the reference benchmarks (when ../shared is there),
// plus hand-picked and seeded random texts: many scripts, Unicode 15/16/17
// letters, emoji, code, whitespace of every kind, digit runs, contractions,
// 2,000-character words and special-token strings.
std::vector<std::string> oracle_corpus();

}  // namespace cwtest
