// Token estimators: how many tokens a text costs in a prompt.
#pragma once

#include <cstdint>
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
class CharDivFourEstimator final : public TokenEstimator {
 public:
  std::int64_t estimate(std::string_view text) const override;
};

}  // namespace contextweaver
