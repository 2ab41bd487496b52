// Token estimators: how many tokens a text costs in a prompt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace contextweaver {

// Counts the tokens of a text. Implementations are stateless or internally
// synchronized, so one estimator may be shared across threads.
class TokenEstimator {
 public:
  virtual ~TokenEstimator() = default;
  virtual std::int64_t estimate(std::string_view text) const = 0;
};

// The reference's default: code points // 4 ("" -> 0, "abcd" -> 1, "hello world!" -> 3).
// Stateless, so thread-safe.
class CharDivFourEstimator final : public TokenEstimator {
 public:
  std::int64_t estimate(std::string_view text) const override;
};

class BpeEncoding;

// The reference's TiktokenEstimator: estimate = number of tiktoken tokens.
//
// `model` is an encoding name ("cl100k_base", "o200k_base") or a model name
// mapped as tiktoken's encoding_for_model does (gpt-4o*, o1*, o3*, o4*,
// gpt-4.1*, gpt-5* -> o200k_base; gpt-4*, gpt-3.5-turbo*, text-embedding-ada-002,
// text-embedding-3-* -> cl100k_base). Special-token strings such as
// "<|endoftext|>" are counted as plain text: the reference's encode() would
// raise on them, and an estimator must answer for any text (docs/tokenizer.md).
//
// When the model is unknown or its table cannot be found or loaded, the
// estimator falls back permanently to CharDivFourEstimator and logs one
// warning on "contextweaver.tokens", as the reference does; it never throws.
// The table is searched as BpeEncoding::find_table describes. Immutable after
// construction: estimate() may run concurrently (see BpeEncoding).
class TiktokenEstimator final : public TokenEstimator {
 public:
  explicit TiktokenEstimator(std::string model = "cl100k_base",
                             std::optional<std::filesystem::path> table_path = std::nullopt);
  ~TiktokenEstimator() override;

  std::int64_t estimate(std::string_view text) const override;

  const std::string& model() const { return model_; }
  // True when the estimator counts code points // 4 instead of tokens.
  bool is_fallback() const { return encoding_ == nullptr; }
  // The encoding in use, or null after a fallback.
  const std::shared_ptr<const BpeEncoding>& encoding() const { return encoding_; }

 private:
  std::string model_;
  std::shared_ptr<const BpeEncoding> encoding_;
  CharDivFourEstimator fallback_;
};

// The tiktoken encoding name of a model or encoding name, or nullopt when
// tiktoken would not know it (or it is an encoding this port does not ship).
std::optional<std::string> encoding_name_for_model(std::string_view model);

}  // namespace contextweaver
