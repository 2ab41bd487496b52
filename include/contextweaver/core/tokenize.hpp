// The reference's lexical tokenizer (_utils.tokenize_list / tokenize) and
// Jaccard similarity, shared by the episodic store, the context engine and the
// routing engine.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace contextweaver {

// The reference's 128 stopwords.
bool is_stopword(std::string_view token);

// Lowercase, split on runs outside [a-z0-9_./-], trim "./-" from each piece;
// a piece holding '.', '/' or '-' yields itself and its parts. Tokens shorter
// than 2 code points and stopwords are dropped. Occurrence order, duplicates kept.
std::vector<std::string> tokenize_list(std::string_view text);

// set(tokenize_list(text)), as a sorted vector of unique tokens.
std::vector<std::string> tokenize(std::string_view text);

// |a ∩ b| / |a ∪ b| over two sorted unique token vectors; 0.0 when both are empty.
double jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace contextweaver
