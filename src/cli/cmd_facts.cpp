// `contextweaver facts`: list, get, put and delete a session's facts.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "json_input.hpp"
#include "output.hpp"
#include "session_options.hpp"
#include "contextweaver/core/errors.hpp"

namespace contextweaver::cli {

namespace {

struct FactOptions {
  std::string prefix;
  std::optional<std::string> key_filter;
  std::string id;
  std::string key;
  std::string value;
  std::vector<std::string> tags;
  std::optional<std::string> metadata;
};

void print_facts_text(const std::vector<Fact>& facts) {
  if (facts.empty()) {
    std::cout << "(no facts)\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {{"FACT_ID", "KEY", "VALUE", "TAGS"}};
  for (const auto& fact : facts) {
    std::string tags;
    for (const auto& tag : fact.tags) tags += (tags.empty() ? "" : ",") + tag;
    rows.push_back({fact.fact_id, fact.key, fact.value, tags});
  }
  std::cout << format_table(rows);
}

void run_list(const GlobalOptions& globals, const FactOptions& options) {
  Session session = open_session(globals, SessionAccess::read);
  FactStore& store = session.stores().facts();
  std::vector<Fact> facts;
  if (options.key_filter) {
    facts = store.get_by_key(*options.key_filter);
  } else {
    for (const Fact& fact : store.all()) {
      if (fact.key.compare(0, options.prefix.size(), options.prefix) == 0) facts.push_back(fact);
    }
  }
  if (globals.json) {
    Json array = Json::array();
    for (const auto& fact : facts) array.push_back(fact.to_dict());
    print_json(
        Json{{"session", globals.session}, {"count", static_cast<std::int64_t>(facts.size())}, {"facts", array}});
    return;
  }
  print_facts_text(facts);
}

void run_get(const GlobalOptions& globals, const FactOptions& options) {
  Session session = open_session(globals, SessionAccess::read);
  const Fact fact = session.stores().facts().get(options.id);
  if (globals.json) {
    print_json(Json{{"session", globals.session}, {"fact", fact.to_dict()}});
    return;
  }
  std::cout << fact.key << " = " << fact.value << "\n";
}

// The manager's add_fact naming (fact:<key>:<n>), with n moved past ids
// already taken so that a put never silently replaces another fact.
std::string new_fact_id(const FactStore& store, const std::string& key) {
  const auto all = store.all();
  for (std::size_t n = all.size();; ++n) {
    const std::string id = fmt::format("fact:{}:{}", key, n);
    bool taken = false;
    for (const auto& fact : all) taken = taken || fact.fact_id == id;
    if (!taken) return id;
  }
}

void run_put(const GlobalOptions& globals, const FactOptions& options) {
  Session session = open_session(globals, SessionAccess::write);
  FactStore& store = session.stores().facts();
  Fact fact;
  fact.fact_id = options.id.empty() ? new_fact_id(store, options.key) : options.id;
  fact.key = options.key;
  fact.value = options.value;
  fact.tags = options.tags;
  if (options.metadata) {
    fact.metadata = load_json_document(*options.metadata, "--metadata");
    if (!fact.metadata.is_object()) throw ValueError("--metadata must be a JSON object");
  }
  store.put(fact);
  if (globals.json) {
    print_json(Json{{"session", globals.session}, {"fact", fact.to_dict()}});
    return;
  }
  std::cout << "Stored fact " << fact.fact_id << ": " << fact.key << " = " << fact.value << "\n";
}

void run_delete(const GlobalOptions& globals, const FactOptions& options) {
  Session session = open_session(globals, SessionAccess::write);
  session.stores().facts().delete_(options.id);
  if (globals.json) {
    print_json(Json{{"session", globals.session}, {"deleted", options.id}});
    return;
  }
  std::cout << "Deleted fact " << options.id << "\n";
}

const CommandRegistration kRegistration(80, [](CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<FactOptions>();
  CLI::App* cmd = add_command(app, "facts", "List, get, put and delete the facts of a session.",
                              "  contextweaver facts list\n"
                              "  contextweaver facts list --prefix customer --json\n"
                              "  contextweaver facts put --key customer_tier --value enterprise --tag crm\n"
                              "  contextweaver facts get --id fact:customer_tier:0\n"
                              "  contextweaver facts delete --id fact:customer_tier:0\n");
  cmd->require_subcommand(1);

  CLI::App* list = add_command(*cmd, "list", "List facts (all, by key prefix, or by exact key).",
                               "  contextweaver facts list --prefix customer\n");
  list->add_option("--prefix", options->prefix, "Only keys starting with this text");
  list->add_option("--key", options->key_filter, "Only facts with exactly this key");
  list->callback([&globals, options] { run_list(globals, *options); });

  CLI::App* get = add_command(*cmd, "get", "Show one fact.", "  contextweaver facts get --id fact:customer_tier:0\n");
  get->add_option("--id", options->id, "The fact id")->required();
  get->callback([&globals, options] { run_get(globals, *options); });

  CLI::App* put = add_command(*cmd, "put", "Store a fact (replacing the fact with the same id).",
                              "  contextweaver facts put --key customer_tier --value enterprise\n");
  put->add_option("--key", options->key, "The fact's key")->required();
  put->add_option("--value", options->value, "The fact's value")->required();
  put->add_option("--id", options->id, "The fact id (default: fact:<key>:<n>, a new id)");
  put->add_option("--tag", options->tags, "A tag (repeatable)");
  put->add_option("--metadata", options->metadata, "Metadata as a JSON object");
  put->callback([&globals, options] { run_put(globals, *options); });

  CLI::App* del =
      add_command(*cmd, "delete", "Delete a fact.", "  contextweaver facts delete --id fact:customer_tier:0\n");
  del->add_option("--id", options->id, "The fact id")->required();
  del->callback([&globals, options] { run_delete(globals, *options); });
});

}  // namespace

}  // namespace contextweaver::cli
