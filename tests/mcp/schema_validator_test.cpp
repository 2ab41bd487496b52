// Argument validation with RapidJSON's draft-04 validator: violations carry
// the keyword, the instance path (integers for array indexes) and a message;
// invalid schemas are reported, never a crash.
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/mcp/schema_validator.hpp"

namespace cw = contextweaver;
using cw::Json;

namespace {

const Json kSchema = cw::loads(R"({
  "type": "object",
  "properties": {
    "path": {"type": "string"},
    "items": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}},
    "mode": {"enum": ["a", "b"]}
  },
  "required": ["path"],
  "additionalProperties": false
})");

}  // namespace

TEST(SchemaValidator, AcceptsConformingArgs) {
  cw::JsonSchemaValidator v(kSchema);
  EXPECT_FALSE(v.validate(Json{{"path", "/x"}}).has_value());
  EXPECT_FALSE(v.validate(Json{{"path", "/x"}, {"items", {{{"n", 1}}}}, {"mode", "a"}}).has_value());
}

TEST(SchemaValidator, RequiredMissing) {
  const auto e = cw::JsonSchemaValidator(kSchema).validate(Json::object());
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->keyword, "required");
  EXPECT_EQ(e->instance_path, Json::array());
  EXPECT_EQ(e->message, "'path' is a required property (at instance path /)");
}

TEST(SchemaValidator, NestedPathHasIntegerIndexes) {
  const auto e =
      cw::JsonSchemaValidator(kSchema).validate(Json{{"path", "p"}, {"items", {{{"n", 1}}, {{"n", "two"}}}}});
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->keyword, "type");
  EXPECT_EQ(e->instance_path, (Json::array({"items", 1, "n"})));
  EXPECT_EQ(e->message, "'two' is not of type 'integer' (at instance path /items/1/n)");
}

TEST(SchemaValidator, AdditionalPropertiesAndEnum) {
  cw::JsonSchemaValidator v(kSchema);
  const auto extra = v.validate(Json{{"path", "p"}, {"bogus", 1}});
  ASSERT_TRUE(extra.has_value());
  EXPECT_EQ(extra->keyword, "additionalProperties");
  EXPECT_NE(extra->message.find("'bogus' was unexpected"), std::string::npos)
      << extra->message << " " << extra->instance_path.dump();
  const auto bad_enum = v.validate(Json{{"path", "p"}, {"mode", "c"}});
  ASSERT_TRUE(bad_enum.has_value());
  EXPECT_EQ(bad_enum->keyword, "enum");
  EXPECT_EQ(bad_enum->instance_path, (Json::array({"mode"})));
}

TEST(SchemaValidator, TrivialAndBooleanSchemas) {
  EXPECT_FALSE(cw::JsonSchemaValidator(Json::object()).validate(Json{{"a", 1}}).has_value());
  EXPECT_FALSE(cw::JsonSchemaValidator(Json()).validate(Json{{"a", 1}}).has_value());
  EXPECT_FALSE(cw::JsonSchemaValidator(Json(true)).validate(Json{{"a", 1}}).has_value());
  EXPECT_TRUE(cw::JsonSchemaValidator(Json(false)).validate(Json::object()).has_value());
}

TEST(SchemaValidator, Draft2020KeywordsUnknownToDraft04AreIgnored) {
  // "const" and numeric exclusiveMinimum are not draft-04: accepted here, left to the upstream.
  cw::JsonSchemaValidator v(cw::loads(R"({"type":"object","properties":{"k":{"const":1},"n":{"exclusiveMinimum":5}},
    "$defs":{"s":{"type":"string"}}, "required":["r"], "properties2":1})"));
  EXPECT_FALSE(v.validate(Json{{"r", 0}, {"k", 2}, {"n", 1}}).has_value());
  // $ref into $defs resolves as a JSON pointer.
  cw::JsonSchemaValidator refs(
      cw::loads(R"({"type":"object","properties":{"s":{"$ref":"#/$defs/s"}},"$defs":{"s":{"type":"string"}}})"));
  EXPECT_TRUE(refs.validate(Json{{"s", 3}}).has_value());
  EXPECT_FALSE(refs.validate(Json{{"s", "x"}}).has_value());
}

TEST(SchemaValidator, InvalidSchemasAreReported) {
  EXPECT_THROW(cw::JsonSchemaValidator(Json("not a schema")), cw::ValueError);
  EXPECT_THROW(cw::JsonSchemaValidator(Json::array({1})), cw::ValueError);
  // Wrongly typed keywords do not crash (RapidJSON ignores them).
  cw::JsonSchemaValidator odd(cw::loads(R"({"type": 5, "required": "x", "properties": [1], "pattern": "(["})"));
  (void)odd.validate(Json{{"a", 1}});
  cw::JsonSchemaValidator dangling(cw::loads(R"({"properties": {"a": {"$ref": "#/nowhere"}}})"));
  (void)dangling.validate(Json{{"a", 1}});
}
