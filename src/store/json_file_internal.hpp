// Private pieces shared by the JsonFileArtifactStore sources
// (json_file_artifact_store*.cpp).
#pragma once

#include <string>
#include <string_view>

namespace contextweaver::json_file_detail {

inline constexpr const char* kLogger = "contextweaver.store";
// Temp files: ".cwtmp.<pid>.<seq>.tmp". They never end in ".data" or ".json",
// so no reader mistakes one for an artifact, and the pid lets a later open
// tell a crashed writer's leftovers from a live writer's work in progress.
inline constexpr std::string_view kTempPrefix = ".cwtmp.";
inline constexpr std::string_view kTempSuffix = ".tmp";

inline bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace contextweaver::json_file_detail
