// Debug logging with the reference's logger names ("contextweaver.store", …).
//
// Silent by default and nearly free: a message is only formatted when a sink
// is installed. Install one to see what the stores do, or in tests.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace contextweaver {

enum class LogLevel { debug, info, warning, error };

using LogSink = std::function<void(LogLevel level, std::string_view logger, std::string_view message)>;

// Replaces the process-wide sink (an empty function removes it). Thread-safe.
void set_log_sink(LogSink sink);

// True when a sink is installed.
bool log_enabled();

void log_message(LogLevel level, std::string_view logger, std::string_view message);

}  // namespace contextweaver

// Formats and logs only when a sink is installed.
#define CW_LOG_DEBUG(logger, ...)                                                     \
  do {                                                                                \
    if (::contextweaver::log_enabled())                                               \
      ::contextweaver::log_message(::contextweaver::LogLevel::debug, logger, __VA_ARGS__); \
  } while (0)
