// GatewayError payloads (surface.md §3.7).
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/mcp/gateway_error.hpp"

namespace cw = contextweaver;
using cw::Json;

TEST(GatewayError, SixCodesRoundTrip) {
  for (const char* code :
       {"PATH_INVALID", "PATH_NOT_FOUND", "ARGS_INVALID", "UPSTREAM_ERROR", "HYDRATE_FAILED", "VIEW_FAILED"}) {
    EXPECT_EQ(cw::to_string(cw::parse_gateway_error_code(code)), code);
  }
  EXPECT_THROW(cw::parse_gateway_error_code("NOPE"), cw::ValueError);
}

TEST(GatewayError, PayloadShape) {
  cw::GatewayError e{cw::GatewayErrorCode::hydrate_failed, "Item not found: 'x:y#00000000'", "x:y#00000000", {}};
  EXPECT_EQ(cw::dumps(e.to_dict()),
            "{\"error\": \"HYDRATE_FAILED\", \"message\": \"Item not found: 'x:y#00000000'\", \"path\": "
            "\"x:y#00000000\"}");
  e.details = Json{{"path", {"args", 0}}};
  EXPECT_EQ(e.to_dict()["details"], (Json{{"path", {"args", 0}}}));
  const Json result = e.to_call_result();
  EXPECT_EQ(result["isError"], true);
  ASSERT_EQ(result["content"].size(), 1u);
  EXPECT_EQ(result["content"][0]["type"], "text");
  EXPECT_EQ(cw::GatewayError::from_dict(cw::loads(result["content"][0]["text"].get<std::string>())), e);
  EXPECT_THROW(cw::GatewayError::from_dict(Json{{"message", "m"}}), cw::KeyError);
}
