// Keeping a shared library mapped until the process ends (RTLD_NODELETE), for the libraries the
// plugin loads that must not be unmapped with it: libcpprest (its thread pool lives in static
// storage it never frees; http/http_runtime.h) and libre2 (its thread-local storage on the
// host's threads; LeakSanitizer, for one, reads freed thread-local blocks of unloaded libraries) and
// libgmime with GLib (GObject types and GLib's load-time tables; mime/gmime_runtime.h).
#pragma once

#include <string>

namespace email {

// The path of the loaded object holding `address` ("" when none).
std::string library_of(const void *address);

// Pins the loaded object at `path` (a no-op for ""); its handle, or nullptr when it is not loaded.
// The handle is never closed.
void *pin_library(const std::string &path);

}  // namespace email
