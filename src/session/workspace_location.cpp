#include "contextweaver/session/workspace_location.hpp"

#include <cctype>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// The scheme of "<scheme>://…" (RFC 3986 scheme characters), or empty. Only
// the "//" form counts as a URL, so a folder named "a:b" stays a folder.
std::string_view url_scheme(std::string_view location) {
  const std::size_t colon = location.find("://");
  if (colon == std::string_view::npos || colon == 0) return {};
  const std::string_view scheme = location.substr(0, colon);
  if (!std::isalpha(static_cast<unsigned char>(scheme[0]))) return {};
  for (char c : scheme) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
  }
  return scheme;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The folder a "file:" URL names (RFC 8089: an absolute path on this host).
std::filesystem::path file_url_path(std::string_view url) {
  const auto invalid = [&](std::string_view why) {
    return ValueError(fmt::format("Invalid workspace location {}: {}", py_repr(url), why));
  };
  std::string_view rest = url.substr(5);  // after "file:"
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const std::size_t slash = rest.find('/');
    const std::string_view host = rest.substr(0, slash);
    const bool local = host.empty() || (host.size() == 9 && starts_with_ignoring_case(host, "localhost"));
    if (!local) throw invalid("a file: URL names a folder on this machine (no host, or localhost)");
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  }
  if (rest.empty() || rest.front() != '/') throw invalid("a file: URL names an absolute path (file:///folder)");
  if (rest.find_first_of("?#") != std::string_view::npos) {
    throw invalid("a file: URL names a folder (no query or fragment; write '?' and '#' as %3F and %23)");
  }
  std::string path;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] != '%') {
      path += rest[i];
      continue;
    }
    const int high = i + 2 < rest.size() ? hex_value(rest[i + 1]) : -1;
    const int low = i + 2 < rest.size() ? hex_value(rest[i + 2]) : -1;
    if (high < 0 || low < 0) throw invalid("'%' starts no %XX escape");
    path += static_cast<char>(high * 16 + low);
    i += 2;
  }
  if (path.find('\0') != std::string::npos) throw invalid("the path contains NUL");
  return path;
}

}  // namespace

WorkspaceLocation WorkspaceLocation::parse(std::string_view location) {
  if (starts_with_ignoring_case(location, "file:")) return folder(file_url_path(location));
  const std::string_view scheme = url_scheme(location);
  if (!scheme.empty()) {
    throw ValueError(fmt::format(
        "Unsupported workspace location {}: the scheme {} is not supported (give a folder path or a file: URL)",
        py_repr(location), py_repr(scheme)));
  }
  return folder(std::filesystem::path(std::string(location)));
}

WorkspaceLocation WorkspaceLocation::folder(std::filesystem::path path) {
  return WorkspaceLocation(Kind::folder, std::move(path));
}

}  // namespace contextweaver
