#include "contextweaver/routing/routing_decision.hpp"

#include <cstdio>
#include <map>
#include <random>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/routing/reference_router.hpp"

namespace contextweaver {
namespace {

using std::chrono::days;
using std::chrono::microseconds;

// Reads exactly `width` ASCII digits at `pos`.
bool read_digits(std::string_view s, std::size_t& pos, std::size_t width, int& out) {
  if (pos + width > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += width;
  return true;
}

bool read_char(std::string_view s, std::size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// HH[:MM[:SS[.f…]]] -> microseconds since midnight; false when malformed.
bool read_time(std::string_view s, std::size_t& pos, bool allow_fraction, std::int64_t& out) {
  int h = 0, m = 0, sec = 0;
  std::int64_t micros = 0;
  if (!read_digits(s, pos, 2, h) || h > 23) return false;
  if (read_char(s, pos, ':')) {
    if (!read_digits(s, pos, 2, m) || m > 59) return false;
    if (read_char(s, pos, ':')) {
      if (!read_digits(s, pos, 2, sec) || sec > 59) return false;
      if (allow_fraction && (read_char(s, pos, '.') || read_char(s, pos, ','))) {
        std::size_t digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          if (digits < 6) micros = micros * 10 + (s[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0) return false;
        for (std::size_t d = digits; d < 6; ++d) micros *= 10;
      }
    }
  }
  out = ((static_cast<std::int64_t>(h) * 60 + m) * 60 + sec) * 1'000'000 + micros;
  return true;
}

}  // namespace

UtcTime utc_now() {
  return std::chrono::time_point_cast<microseconds>(std::chrono::system_clock::now());
}

std::string utc_isoformat(UtcTime t) {
  const auto day = std::chrono::floor<days>(t);
  const std::chrono::year_month_day ymd{day};
  std::int64_t rest = (t - day).count();  // microseconds into the day
  const std::int64_t micros = rest % 1'000'000;
  rest /= 1'000'000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                static_cast<long long>(rest % 60));
  std::string out = buf;
  if (micros != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(micros));
    out += buf;
  }
  return out + "+00:00";
}

UtcTime parse_isoformat(std::string_view text) {
  const auto fail = [&]() -> UtcTime { throw ValueError("Invalid isoformat string: " + py_repr(text)); };
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0;
  if (!read_digits(text, pos, 4, y) || !read_char(text, pos, '-') || !read_digits(text, pos, 2, mo) ||
      !read_char(text, pos, '-') || !read_digits(text, pos, 2, d)) {
    return fail();
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1) return fail();
  std::int64_t time_of_day = 0;
  std::int64_t offset = 0;  // microseconds east of UTC
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != ' ') return fail();
    ++pos;
    if (!read_time(text, pos, true, time_of_day)) return fail();
    if (read_char(text, pos, 'Z')) {
      offset = 0;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const bool negative = text[pos] == '-';
      ++pos;
      if (!read_time(text, pos, false, offset)) return fail();
      if (negative) offset = -offset;
    }
    if (pos != text.size()) return fail();
  }
  const UtcTime midnight{std::chrono::sys_days{ymd}};
  return midnight + microseconds(time_of_day - offset);
}

std::string new_decision_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}() ^
                                          static_cast<std::uint64_t>(utc_now().time_since_epoch().count())};
  std::uint64_t hi = rng();
  std::uint64_t lo = rng();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                  // version 4
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);  // RFC 4122 variant
  char buf[48];
  std::snprintf(buf, sizeof buf, "rd-%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF), static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

Json RoutingDecision::to_dict() const {
  Json out = Json::object();
  out["id"] = id;
  Json cards = Json::array();
  for (const auto& card : choice_cards) cards.push_back(card.to_dict());
  out["choice_cards"] = std::move(cards);
  out["timestamp"] = utc_isoformat(timestamp);
  out["metadata"] = metadata;
  if (selected_item_id) out["selected_item_id"] = *selected_item_id;
  if (selected_card_id) out["selected_card_id"] = *selected_card_id;
  if (context_summary) out["context_summary"] = *context_summary;
  return out;
}

RoutingDecision RoutingDecision::from_dict(const Json& data) {
  RoutingDecision rd;
  rd.id = as_string(require_key(data, "id"), "id");
  if (const auto it = data.find("choice_cards"); it != data.end()) {
    if (!it->is_array()) throw TypeError("choice_cards: expected a list, got '" + std::string(py_type_name(*it)) + "'");
    for (const auto& card : *it) rd.choice_cards.push_back(ChoiceCard::from_dict(card));
  }
  const auto ts = data.find("timestamp");
  rd.timestamp = ts != data.end() && ts->is_string() ? parse_isoformat(ts->get<std::string>()) : utc_now();
  const auto optional_string = [&](const char* key) -> std::optional<std::string> {
    const auto it = data.find(key);
    if (it == data.end() || it->is_null()) return std::nullopt;
    return as_string(*it, key);
  };
  rd.selected_item_id = optional_string("selected_item_id");
  rd.selected_card_id = optional_string("selected_card_id");
  rd.context_summary = optional_string("context_summary");
  if (const auto it = data.find("metadata"); it != data.end()) rd.metadata = as_object(*it, "metadata");
  return rd;
}

RoutingDecision RouteResult::to_routing_decision(const RoutingDecisionOptions& options) const {
  if (candidate_items.empty()) throw RouteError("RoutingDecision requires at least one candidate item");
  std::map<std::string, double> score_map;  // dict(zip(ids, scores)): a later duplicate id wins
  for (std::size_t i = 0; i < candidate_ids.size() && i < scores.size(); ++i)
    score_map.insert_or_assign(candidate_ids[i], scores[i]);
  RoutingDecision rd;
  rd.choice_cards = make_choice_cards(candidate_items, static_cast<std::int64_t>(candidate_items.size()), score_map);
  rd.selected_item_id = options.selected_item_id;
  rd.selected_card_id = options.selected_card_id;
  if (!rd.selected_card_id && options.selected_item_id) {
    for (const auto& card : rd.choice_cards) {
      if (card.id == *options.selected_item_id) {
        rd.selected_card_id = card.id;
        break;
      }
    }
  }
  rd.timestamp = options.now ? *options.now : utc_now();
  rd.context_summary = options.context_summary;
  rd.id = options.decision_id ? *options.decision_id : new_decision_id();

  Json diagnostics = Json::object();
  diagnostics["is_ambiguous"] = is_ambiguous;
  diagnostics["excluded_count"] = excluded_count;
  diagnostics["gated_count"] = gated_count;
  diagnostics["context_boost_applied"] = context_boost_applied;
  if (!context_hints.empty()) diagnostics["context_hints"] = context_hints;
  if (clarifying_question) diagnostics["clarifying_question"] = *clarifying_question;
  rd.metadata = options.metadata.is_object() ? options.metadata : Json::object();
  // Merged into a caller's own "contextweaver" object; the caller's keys win.
  Json& ns = rd.metadata["contextweaver"];
  if (ns.is_object()) {
    for (auto it = diagnostics.begin(); it != diagnostics.end(); ++it)
      if (!ns.contains(it.key())) ns[it.key()] = it.value();
  } else {
    ns = std::move(diagnostics);
  }
  return rd;
}

}  // namespace contextweaver
