// Keeping a shared library mapped until the process ends (RTLD_NODELETE), for the libraries the
// plugin loads that must not be unmapped with it: libcpprest (its thread pool lives in static
// storage it never frees; http/http_runtime.h) and libre2 (its thread-local storage on the
// host's threads; LeakSanitizer, for one, reads freed thread-local blocks of unloaded libraries).
// GMime with GLib, loaded on first use, is kept mapped by its loader (util/lazy_library.h).
// Implementations: util/library_pin_posix.cpp (dladdr, RTLD_NODELETE), util/library_pin_windows.cpp
// (GetModuleHandleExW, GET_MODULE_HANDLE_EX_FLAG_PIN).
#pragma once

#include <string>

namespace email {

// The path of the loaded object holding `address` ("" when none).
std::string library_of(const void *address);

// Pins the loaded object at `path` (a no-op for ""); its handle, or nullptr when it is not loaded.
// The handle is never closed. On Windows the plugin links these libraries statically: a `path`
// that is the plugin's own file is returned unpinned (it is part of the plugin, unloaded with it).
void *pin_library(const std::string &path);

// Keeps the plugin's own file mapped until the process ends (when its code may still run later).
void pin_plugin();

}  // namespace email
