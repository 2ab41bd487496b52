#include "contextweaver/session/session_name.hpp"

#include <string>

#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

TEST(SessionName, AcceptsOrdinaryNames) {
  for (const char* name : {"default", "support-2024", "a b", "x.jsonl", "\xc3\xa9t\xc3\xa9", ".hidden"}) {
    EXPECT_EQ(cw::SessionName(name).str(), name);
    EXPECT_TRUE(cw::SessionName::is_valid(name)) << name;
  }
  EXPECT_NO_THROW(cw::SessionName(std::string(128, 'a')));
}

TEST(SessionName, RejectsWhatCannotBeAFolderWithTheRuleBroken) {
  using cwtest::error_of;
  EXPECT_EQ(error_of<cw::ValueError>([] { cw::SessionName(""); }), "Invalid session name '': it must be non-empty");
  EXPECT_EQ(error_of<cw::ValueError>([] { cw::SessionName(".."); }), "Invalid session name '..'");
  EXPECT_EQ(error_of<cw::ValueError>([] { cw::SessionName("."); }), "Invalid session name '.'");
  EXPECT_EQ(error_of<cw::ValueError>([] { cw::SessionName(std::string(129, 'a')); }),
            "Invalid session name '" + std::string(129, 'a') + "': longer than 128 bytes");
  EXPECT_EQ(error_of<cw::ValueError>([] { cw::SessionName("a/b"); }),
            "Invalid session name 'a/b': it contains a path separator or control character");
  EXPECT_EQ(error_of<cw::ValueError>([] { cw::SessionName("s.json"); }),
            "Invalid session name 's.json': a name ending in '.json' means a session file");
  for (const std::string& name :
       {std::string("a\\b"), std::string("a\nb"), std::string("a\x7f"), std::string(1, '\0')}) {
    EXPECT_THROW(cw::SessionName{name}, cw::ValueError);
    EXPECT_FALSE(cw::SessionName::is_valid(name));
  }
}

TEST(SessionName, RejectsInvalidUtf8AndCharactersThatReorderOrControlATerminal) {
  using cwtest::error_of;
  EXPECT_EQ(error_of<cw::ValueError>([] { cw::SessionName("a\xff"); }),
            "Invalid session name 'a\xef\xbf\xbd': it is not valid UTF-8");
  EXPECT_EQ(error_of<cw::ValueError>([] { cw::SessionName("evil\xe2\x80\xaetxt"); }),
            "Invalid session name 'evil\\u202etxt': it contains a control or bidirectional formatting character");
  // C1 controls, the other bidi overrides and isolates, and a truncated sequence.
  for (const std::string& name :
       {std::string("a\xc2\x85"), std::string("a\xc2\x9b"), std::string("\xe2\x80\xaa"), std::string("\xe2\x81\xa6x"),
        std::string("\xe2\x81\xa9"), std::string("a\xe2\x80")}) {
    EXPECT_THROW(cw::SessionName{name}, cw::ValueError);
    EXPECT_FALSE(cw::SessionName::is_valid(name));
  }
  // Printable non-ASCII stays valid, as do the neighbours of the rejected ranges.
  for (const std::string& name : {std::string("caf\xc3\xa9"), std::string("\xc2\xa0x"), std::string("\xe2\x80\xa9x")}) {
    EXPECT_TRUE(cw::SessionName::is_valid(name)) << name;
  }
}

TEST(SessionName, OrdersAndComparesByTheName) {
  EXPECT_EQ(cw::SessionName("a"), cw::SessionName("a"));
  EXPECT_LT(cw::SessionName("a"), cw::SessionName("b"));
}
