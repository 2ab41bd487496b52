#include "contextweaver/session/workspace_location.hpp"

#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

TEST(WorkspaceLocation, APathIsAFolderTakenAsGiven) {
  for (const char* path : {".contextweaver", "/data/cw", "relative/dir", "", "a:b", "C:\\cw", "dir/with://inside"}) {
    const auto location = cw::WorkspaceLocation::parse(path);
    EXPECT_EQ(location.kind(), cw::WorkspaceLocation::Kind::folder);
    EXPECT_EQ(location.path().string(), path);
    EXPECT_EQ(location.display(), path);
  }
}

TEST(WorkspaceLocation, AFileUrlNamesAnAbsoluteFolder) {
  EXPECT_EQ(cw::WorkspaceLocation::parse("file:///data/cw").path(), "/data/cw");
  EXPECT_EQ(cw::WorkspaceLocation::parse("file:/data/cw").path(), "/data/cw");
  EXPECT_EQ(cw::WorkspaceLocation::parse("file://localhost/data/cw").path(), "/data/cw");
  EXPECT_EQ(cw::WorkspaceLocation::parse("FILE://LocalHost/data").path(), "/data");
  EXPECT_EQ(cw::WorkspaceLocation::parse("file:///my%20work/%23cw").path(), "/my work/#cw");
}

TEST(WorkspaceLocation, RefusesWhatItCannotOpen) {
  using cwtest::error_of;
  EXPECT_EQ(error_of<cw::ValueError>([] { cw::WorkspaceLocation::parse("postgresql://db/cw"); }),
            "Unsupported workspace location 'postgresql://db/cw': the scheme 'postgresql' is not supported (give a "
            "folder path or a file: URL)");
  EXPECT_THROW(cw::WorkspaceLocation::parse("s3://bucket"), cw::ValueError);
  EXPECT_EQ(error_of<cw::ValueError>([] { cw::WorkspaceLocation::parse("file://server/share"); }),
            "Invalid workspace location 'file://server/share': a file: URL names a folder on this machine (no host, "
            "or localhost)");
  EXPECT_THROW(cw::WorkspaceLocation::parse("file:relative"), cw::ValueError);
  EXPECT_THROW(cw::WorkspaceLocation::parse("file:"), cw::ValueError);
  EXPECT_THROW(cw::WorkspaceLocation::parse("file:///a?b"), cw::ValueError);
  EXPECT_THROW(cw::WorkspaceLocation::parse("file:///a%2"), cw::ValueError);
  EXPECT_THROW(cw::WorkspaceLocation::parse("file:///a%zz"), cw::ValueError);
  EXPECT_THROW(cw::WorkspaceLocation::parse("file:///a%00"), cw::ValueError);
}
