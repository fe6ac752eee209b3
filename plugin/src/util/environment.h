// Environment variables as UTF-8 text, on both systems. Windows keeps the environment in UTF-16,
// and the C runtime's getenv gives it in the ANSI code page (a proxy URL or a path with Japanese in
// it would arrive garbled); Linux gives the bytes as they are.
// Implementations: util/environment_posix.cpp (getenv), util/environment_windows.cpp (_wgetenv).
#pragma once

#include <optional>
#include <string>

namespace email {

// The variable `name` (ASCII), or nullopt when it is not set. An empty value is returned as "".
std::optional<std::string> environment_variable(const char *name);

}  // namespace email
