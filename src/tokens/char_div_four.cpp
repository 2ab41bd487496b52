#include "contextweaver/core/unicode.hpp"
#include "contextweaver/tokens/estimator.hpp"

namespace contextweaver {

std::int64_t CharDivFourEstimator::estimate(std::string_view text) const {
  return static_cast<std::int64_t>(code_point_count(text) / 4);
}

}  // namespace contextweaver
