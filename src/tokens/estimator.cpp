// The token estimators of estimator.hpp: CharDivFourEstimator and
// TiktokenEstimator (model names mapped as tiktoken's model.py does).
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/tokens/bpe.hpp"
#include "contextweaver/tokens/estimator.hpp"

#include <utility>

namespace contextweaver {
namespace {

// Exact model names and name prefixes, after tiktoken's model.py, limited to
// the two encodings shipped here.
struct ModelRule {
  std::string_view name;
  bool prefix;
  std::string_view encoding;
};
constexpr ModelRule kModelRules[] = {
    {"cl100k_base", false, "cl100k_base"},
    {"o200k_base", false, "o200k_base"},
    {"gpt-4o", false, "o200k_base"},
    {"gpt-4o-", true, "o200k_base"},
    {"chatgpt-4o-", true, "o200k_base"},
    {"gpt-4.1", true, "o200k_base"},
    {"gpt-4.5", true, "o200k_base"},
    {"gpt-5", true, "o200k_base"},
    {"o1", false, "o200k_base"},
    {"o1-", true, "o200k_base"},
    {"o3", false, "o200k_base"},
    {"o3-", true, "o200k_base"},
    {"o4-mini", true, "o200k_base"},
    {"ft:gpt-4o", true, "o200k_base"},
    {"gpt-4", false, "cl100k_base"},
    {"gpt-4-", true, "cl100k_base"},
    {"gpt-3.5-turbo", true, "cl100k_base"},
    {"gpt-35-turbo", true, "cl100k_base"},
    {"ft:gpt-4", true, "cl100k_base"},
    {"ft:gpt-3.5-turbo", true, "cl100k_base"},
    {"text-embedding-ada-002", false, "cl100k_base"},
    {"text-embedding-3-", true, "cl100k_base"},
    {"gpt-3.5", false, "cl100k_base"},
};

}  // namespace

std::optional<std::string> encoding_name_for_model(std::string_view model) {
  for (const auto& rule : kModelRules)
    if (rule.prefix ? model.starts_with(rule.name) : model == rule.name) return std::string(rule.encoding);
  return std::nullopt;
}

TiktokenEstimator::TiktokenEstimator(std::string model, std::optional<std::filesystem::path> table_path)
    : model_(std::move(model)) {
  std::string why;
  if (const auto encoding = encoding_name_for_model(model_)) {
    try {
      encoding_ = BpeEncoding::load(*encoding, table_path);
    } catch (const ContextWeaverError& e) {
      why = e.what();
    }
  } else {
    why = "unknown model or encoding '" + model_ + "'";
  }
  if (!encoding_)
    log_message(LogLevel::warning, "contextweaver.tokens",
                "tiktoken unavailable (" + why + "); falling back to CharDivFourEstimator");
}

std::int64_t CharDivFourEstimator::estimate(std::string_view text) const {
  return static_cast<std::int64_t>(code_point_count(text) / 4);
}

TiktokenEstimator::~TiktokenEstimator() = default;

std::int64_t TiktokenEstimator::estimate(std::string_view text) const {
  if (!encoding_) return fallback_.estimate(text);
  return static_cast<std::int64_t>(encoding_->count(text));
}

}  // namespace contextweaver
