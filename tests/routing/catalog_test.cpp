// Catalog registry, loaders and savers, including malformed and hostile input.
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/sample_catalog.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

cw::SelectableItem item(const std::string& id, const std::string& ns = "", std::vector<std::string> tags = {}) {
  cw::SelectableItem it;
  it.id = id;
  it.kind = "tool";
  it.name = id;
  it.description = "does " + id;
  it.namespace_ = ns;
  it.tags = std::move(tags);
  return it;
}

// The CatalogError message raised by `f`, or "" when none is raised.
template <typename F>
std::string catalog_error(F f) {
  try {
    f();
  } catch (const cw::CatalogError& e) {
    return e.what();
  }
  return "";
}

// Items as JSON text, so a mismatch prints readably.
std::string dump(const std::vector<cw::SelectableItem>& items) {
  cw::Json out = cw::Json::array();
  for (const auto& it : items) out.push_back(it.to_dict());
  return cw::dumps(out, {true, 1, false});  // YAML files sort keys
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Catalog, RegisterGetAndErrors) {
  cw::Catalog c;
  c.register_(item("b.tool", "b", {"x"}));
  c.register_(item("a.tool", "a", {"x", "y"}));
  EXPECT_EQ(c.get("a.tool").namespace_, "a");
  EXPECT_EQ(catalog_error([&] { c.register_(item("a.tool")); }), "Duplicate item id: 'a.tool'");
  try {
    c.get("missing");
    FAIL();
  } catch (const cw::ItemNotFoundError& e) {
    EXPECT_EQ(std::string(e.what()), "Item not found: 'missing'");
  }
  EXPECT_EQ(c.all().front().id, "a.tool");
  EXPECT_EQ(c.filter_by_namespace("b").size(), 1u);
  EXPECT_EQ(c.filter_by_tags({"x", "y"}).size(), 1u);
  EXPECT_EQ(c.filter_by_tags({}).size(), 2u);
  const cw::Catalog back = cw::Catalog::from_dict(c.to_dict());
  EXPECT_EQ(back.all(), c.all());
}

TEST(Catalog, Hydrate) {
  cw::Catalog c;
  auto it = item("t");
  it.args_schema = cw::Json{{"type", "object"}};
  it.examples = {"t(x=1)"};
  it.constraints = cw::Json{{"max", 3}};
  c.register_(it);
  c.register_(item("plain"));
  const auto h = c.hydrate("t");
  EXPECT_EQ(h.args_schema["type"], "object");
  EXPECT_EQ(h.examples, std::vector<std::string>{"t(x=1)"});
  EXPECT_EQ(cw::HydrationResult::from_dict(h.to_dict()), h);
  const auto p = c.hydrate("plain");
  EXPECT_TRUE(p.args_schema.empty());
  EXPECT_TRUE(p.examples.empty());
  EXPECT_THROW(c.hydrate("nope"), cw::ItemNotFoundError);
}

TEST(CatalogFiles, JsonAndYamlRoundTrip) {
  cwtest::TempDir dir;
  auto items = cw::sample_catalog();
  items[0].description = "caf\xc3\xa9 \xe2\x80\x94 \"quoted\" 'single' \\ back\nslash";
  items[1].tags = {"true", "null", "123", "1.5", "yes", ""};
  items[2].cost_hint = 1e-05;
  for (const char* name : {"c.json", "c.yaml", "c.YML"}) {
    cw::save_catalog(items, dir / name);
    EXPECT_EQ(dump(cw::load_catalog(dir / name)), dump(items)) << name;
  }
  EXPECT_EQ(cwtest::read_file(dir / "c.json").back(), '\n');
}

TEST(CatalogFiles, ReadAndSyntaxErrorsNameFileAndLine) {
  cwtest::TempDir dir;
  EXPECT_TRUE(has(catalog_error([&] { cw::load_catalog(dir / "missing.json"); }), "Cannot read catalog file"));
  cwtest::write_file(dir / "bad.json", "[\n  {\"id\": \"a\",\n   \"kind\" \"tool\"}\n]");
  const std::string json_error = catalog_error([&] { cw::load_catalog(dir / "bad.json"); });
  EXPECT_TRUE(has(json_error, "Invalid JSON in catalog file")) << json_error;
  EXPECT_TRUE(has(json_error, "bad.json")) << json_error;
  EXPECT_TRUE(has(json_error, "line 3")) << json_error;
  cwtest::write_file(dir / "bad.yaml", "- id: a\n  kind: tool\n   name: [unclosed\n");
  const std::string yaml_error = catalog_error([&] { cw::load_catalog(dir / "bad.yaml"); });
  EXPECT_TRUE(has(yaml_error, "Invalid YAML in catalog file")) << yaml_error;
  EXPECT_TRUE(has(yaml_error, "line 3")) << yaml_error;
  cwtest::write_file(dir / "obj.json", "{\"items\": []}");
  EXPECT_TRUE(has(catalog_error([&] { cw::load_catalog(dir / "obj.json"); }), "must be an array"));
  cwtest::write_file(dir / "map.yml", "id: a\n");
  EXPECT_TRUE(has(catalog_error([&] { cw::load_catalog(dir / "map.yml"); }), "must be a sequence"));
  cwtest::write_file(dir / "empty.yaml", "");
  EXPECT_TRUE(has(catalog_error([&] { cw::load_catalog(dir / "empty.yaml"); }), "must be a sequence"));
  cwtest::write_file(dir / "latin1.json", "[\"\xe9\"]");
  EXPECT_TRUE(has(catalog_error([&] { cw::load_catalog(dir / "latin1.json"); }), "not valid UTF-8"));
}

TEST(CatalogFiles, ItemErrorsNameIndexIdAndField) {
  const std::string missing = catalog_error([] {
    cw::parse_catalog_json(R"([{"id":"ok","kind":"tool","name":"n","description":"d"},{"id":"x","name":"n"}])",
                           "cat.json");
  });
  EXPECT_EQ(missing, "Item at index 1 missing required fields: ['description', 'kind'] (id 'x', file 'cat.json')");
  EXPECT_EQ(catalog_error([] { cw::parse_catalog_json("[1]"); }), "Item at index 0 is not a dict.");
  const std::string typed = catalog_error(
      [] { cw::parse_catalog_json(R"([{"id":"x","kind":"tool","name":"n","description":"d","tags":"a"}])"); });
  EXPECT_TRUE(has(typed, "Item at index 0 has invalid data: tags")) << typed;
  EXPECT_TRUE(has(typed, "(id 'x')")) << typed;
  const std::string cost = catalog_error(
      [] { cw::parse_catalog_yaml("- {id: x, kind: tool, name: n, description: d, cost_hint: cheap}\n", "c.yaml"); });
  EXPECT_TRUE(has(cost, "cost_hint")) << cost;
  EXPECT_TRUE(has(cost, "c.yaml")) << cost;
  const std::string id_type =
      catalog_error([] { cw::parse_catalog_json(R"([{"id":5,"kind":"tool","name":"n","description":"d"}])"); });
  EXPECT_TRUE(has(id_type, "id must be a string")) << id_type;
}

TEST(CatalogFiles, EmptyDuplicateAndHostileContent) {
  EXPECT_TRUE(cw::parse_catalog_json("[]").empty());
  // Loaders keep duplicates (as the reference); the registry rejects them.
  const auto dup = cw::parse_catalog_json(
      R"([{"id":"a","kind":"tool","name":"n","description":"d"},{"id":"a","kind":"tool","name":"m","description":"e"}])");
  ASSERT_EQ(dup.size(), 2u);
  cw::Catalog c;
  c.register_(dup[0]);
  EXPECT_THROW(c.register_(dup[1]), cw::CatalogError);
  // 1 MB description, control characters and astral code points survive a round trip.
  cwtest::TempDir dir;
  auto big = item("big");
  big.description = std::string(1 << 20, 'x') + "\x01\x1f\t\xf0\x9f\x98\x80";
  cw::save_catalog({big}, dir / "big.json");
  cw::save_catalog({big}, dir / "big.yaml");
  EXPECT_EQ(cw::load_catalog(dir / "big.json").at(0), big);
  EXPECT_EQ(cw::load_catalog(dir / "big.yaml").at(0), big);
}

TEST(CatalogFiles, YamlScalarsAreTypedLikePyYaml) {
  const auto items = cw::parse_catalog_yaml(
      "- id: a\n  kind: tool\n  name: '123'\n  description: \"yes\"\n  side_effects: yes\n  cost_hint: 0.5\n"
      "  tags: [x, 'null']\n  namespace: ns\n");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].name, "123");
  EXPECT_EQ(items[0].description, "yes");
  EXPECT_TRUE(items[0].side_effects);
  EXPECT_EQ(items[0].cost_hint, 0.5);
  EXPECT_EQ(items[0].tags, (std::vector<std::string>{"x", "null"}));
  EXPECT_TRUE(has(catalog_error([] { cw::parse_catalog_yaml("- id: a\n  kind: tool\n  name: 5\n  description: d\n"); }),
                  "name must be a string"));
}

TEST(CatalogFiles, ReferenceExampleCatalogsLoad) {
  CW_REQUIRE_SHARED(shared);
  const auto json = cw::load_catalog(shared / "data" / "reference" / "examples" / "sample_catalog.json");
  const auto yaml = cw::load_catalog(shared / "data" / "reference" / "examples" / "sample_catalog.yaml");
  EXPECT_EQ(json.size(), 80u);
  ASSERT_EQ(yaml.size(), 5u);  // the YAML example holds the first five tools of the JSON one
  EXPECT_EQ(dump(yaml), dump({json.begin(), json.begin() + 5}));
}

TEST(SampleCatalog, OwnDeterministicRealisticCatalog) {
  const auto items = cw::sample_catalog();
  EXPECT_EQ(items.size(), 56u);
  EXPECT_EQ(items, cw::sample_catalog());
  std::set<std::string> namespaces, ids;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    if (i > 0) {
      EXPECT_LT(items[i - 1].id, it.id);
    }
    EXPECT_TRUE(ids.insert(it.id).second);
    namespaces.insert(it.namespace_);
    EXPECT_EQ(it.id.rfind(it.namespace_ + ".", 0), 0u);
    EXPECT_FALSE(it.description.empty());
    EXPECT_FALSE(it.tags.empty());
  }
  EXPECT_GE(namespaces.size(), 6u);
}

}  // namespace
