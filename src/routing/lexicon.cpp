#include "contextweaver/routing/lexicon.hpp"

#include <algorithm>
#include <set>

#include "contextweaver/routing/analyzer.hpp"
#include "contextweaver/routing/typo.hpp"

namespace contextweaver {
namespace {

// General API vocabulary: CRUD verbs, messaging, work tracking, files,
// scheduling, identity, operations and commerce. Each line is a set of words
// a user may use for the same operation or object. Kept deliberately small
// and generic so that it carries over to catalogs it has never seen.
// The function is long only because it is one table: a reader scans the
// lines, not control flow, so splitting it would only scatter the data.
const std::vector<std::vector<std::string>>& builtin_groups() {
  static const std::vector<std::vector<std::string>> groups = {
      // operations
      {"create", "add", "new", "make", "open", "insert", "register", "compose", "generate", "build"},
      {"delete", "remove", "drop", "destroy", "erase", "trash", "purge", "discard"},
      {"list", "show", "browse", "enumerate", "view", "display"},
      {"get", "fetch", "retrieve", "read", "show", "view", "lookup", "detail", "info", "inspect", "describe"},
      {"search", "find", "query", "lookup", "look", "seek", "locate", "filter", "match"},
      {"update", "edit", "modify", "change", "patch", "set", "adjust", "rename", "configure"},
      {"send", "post", "notify", "deliver", "dispatch", "forward", "reply", "share"},
      {"run", "execute", "trigger", "launch", "start", "invoke", "kick", "rerun", "restart"},
      {"stop", "abort", "cancel", "halt", "kill", "terminate", "disable", "pause"},
      {"enable", "activate", "turn", "switch", "resume", "unpause"},
      {"complete", "finish", "done", "close", "resolve", "mark"},
      {"assign", "delegate", "allocate", "reassign", "owner"},
      {"invite", "add", "join", "onboard", "member"},
      {"upload", "attach", "put", "store", "save"},
      {"download", "export", "save", "dump", "backup"},
      {"move", "transfer", "relocate", "migrate", "drag"},
      {"mute", "silence", "snooze", "suppress", "quiet"},
      {"accept", "approve", "confirm", "respond", "rsvp"},
      {"decline", "reject", "deny", "refuse"},
      {"acknowledge", "ack"},
      {"rollback", "revert", "undo"},
      {"remind", "reminder", "todo", "task"},
      {"dependency", "depend", "blocker", "block", "prerequisite"},
      {"availability", "available", "free", "busy"},
      {"history", "activity", "timeline", "changelog"},
      {"oncall", "rota", "shift", "rotation"},
      {"newsletter", "campaign", "broadcast", "bulk", "blast"},
      {"subscriber", "subscription", "audience", "recipient"},
      {"transcript", "caption", "subtitle"},
      {"extract", "parse", "ocr"},
      {"forecast", "predict", "projection", "estimate"},
      {"quota", "limit", "usage"},
      {"copy", "duplicate", "clone"},
      {"archive", "hide", "stash"},
      {"count", "number", "total", "summarize", "summary", "aggregate"},
      {"analyze", "analysis", "trend", "pattern", "anomaly", "insight"},
      {"schedule", "plan", "reschedule", "book"},
      {"validate", "verify", "check", "test"},
      {"translate", "translation", "language"},
      // objects
      {"email", "mail", "message", "inbox", "mailbox"},
      {"message", "chat", "dm", "text", "conversation"},
      {"channel", "room", "chat", "conversation", "thread"},
      {"issue", "ticket", "bug", "incident", "case", "problem"},
      {"task", "todo", "card", "item", "chore"},
      {"project", "board", "workspace"},
      {"comment", "note", "reply", "remark", "annotation"},
      {"user", "member", "person", "people", "account", "employee", "teammate", "colleague"},
      {"group", "team", "role"},
      {"customer", "client", "buyer", "shopper", "contact", "lead"},
      {"order", "purchase", "buy", "bought", "checkout"},
      {"product", "item", "sku", "inventory", "stock"},
      {"invoice", "bill", "billing", "charge", "payment", "cost", "spend", "expense", "price"},
      {"file", "document", "doc", "attachment", "page"},
      {"folder", "directory", "dir"},
      {"event", "meeting", "appointment", "calendar", "invite"},
      {"log", "logs", "trace", "record"},
      {"metric", "measurement", "stat", "statistic", "analytics", "usage", "performance"},
      {"error", "exception", "crash", "failure", "fail", "broken"},
      {"deploy", "deployment", "release", "rollout", "ship", "version"},
      {"permission", "access", "grant", "scope", "privilege", "policy", "right"},
      {"password", "credential", "secret", "token", "key", "login"},
      {"table", "dataset", "database", "collection", "schema"},
      {"row", "record", "entry", "document"},
      {"pipeline", "build", "job", "workflow", "ci"},
      {"song", "track", "music", "playlist", "tune"},
      {"play", "playback", "skip", "queue"},
      {"video", "clip", "channel"},
      {"light", "lamp", "device", "switch", "entity"},
      {"alert", "alarm", "monitor", "notification", "page"},
      {"weather", "forecast", "temperature", "rain"},
      {"image", "picture", "photo", "screenshot"},
      {"recent", "latest", "last", "newest"},
      {"upcoming", "next", "future", "soon"},
      {"label", "tag", "category"},
      {"app", "application", "client", "integration"},
      {"server", "host", "instance", "machine", "node"},
  };
  return groups;
}

const std::vector<std::string> kNone;

// Operations every API has, and words that name no particular thing.
constexpr std::string_view kGenericWords[] = {
    "get",      "fetch",     "retrieve", "read",   "show",    "view",    "display", "list",   "browse", "find",
    "search",   "look",      "lookup",   "query",  "create",  "add",     "new",     "make",   "put",    "set",
    "write",    "insert",    "update",   "edit",   "modify",  "change",  "delete",  "remove", "check",  "verify",
    "save",     "store",     "open",     "close",  "run",     "execute", "start",   "take",   "give",   "go",
    "use",      "help",      "manage",   "handle", "current", "latest",  "recent",  "info",   "detail", "data",
    "item",     "thing",     "way",      "stuff",  "good",    "best",    "first",   "last",   "next",   "today",
    "tomorrow", "yesterday", "now",      "time",   "day",     "week",    "place",   "back",   "up",     "down",
    "out",      "off",       "over",     "under",  "between", "explain", "tell",    "say",    "ask",    "answer",
    "call",     "hold",      "keep",     "bring",  "send",    "move",    "copy",    "work",   "cover",  "true"};

struct GenericSet {
  std::unordered_map<std::string, bool> stemmed, plain;
  GenericSet() {
    for (const auto w : kGenericWords) {
      plain.emplace(std::string(w), true);
      stemmed.emplace(stem_word(w), true);
    }
  }
};

}  // namespace

bool is_generic_term(std::string_view term, bool stemmed) {
  static const GenericSet set;
  const auto& m = stemmed ? set.stemmed : set.plain;
  return m.count(std::string(term)) != 0;
}

Lexicon Lexicon::from_groups(const std::vector<std::vector<std::string>>& groups, bool stem) {
  std::unordered_map<std::string, std::set<std::string>> rel;
  AnalyzerOptions opt;
  opt.stem = stem;
  opt.drop_stopwords = false;  // a group word is meant, even if it is a stopword elsewhere
  for (const auto& group : groups) {
    std::set<std::string> terms;
    for (const auto& w : group) {
      for (auto& t : analyze(w, opt)) terms.insert(std::move(t));
    }
    if (terms.size() < 2) continue;
    for (const auto& t : terms) {
      for (const auto& u : terms) {
        if (u != t) rel[t].insert(u);
      }
    }
  }
  Lexicon lex;
  for (auto& [t, s] : rel) lex.related_.emplace(t, std::vector<std::string>(s.begin(), s.end()));
  return lex;
}

const Lexicon& Lexicon::builtin(bool stem) {
  static const Lexicon stemmed = from_groups(builtin_groups(), true);
  static const Lexicon plain = from_groups(builtin_groups(), false);
  return stem ? stemmed : plain;
}

const std::vector<std::string>& Lexicon::related(std::string_view term) const {
  const auto it = related_.find(std::string(term));
  return it == related_.end() ? kNone : it->second;
}

std::vector<std::string> Lexicon::typo_matches(std::string_view term) const {
  std::vector<std::string> out;
  const std::size_t max_d = allowed_typo_distance(term.size());
  if (max_d == 0 || related_.count(std::string(term))) return out;
  std::size_t best = max_d + 1;
  for (const auto& [word, rel] : related_) {
    if (word[0] != term[0] || allowed_typo_distance(word.size()) == 0) continue;
    const std::size_t d = bounded_edit_distance(term, word, max_d);
    if (d > max_d || d > best) continue;
    if (d < best) out.clear(), best = d;
    out.push_back(word);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace contextweaver
