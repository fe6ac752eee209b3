// replace_file: writes a whole file so that readers see the old content or the new, never a part:
// a temporary file beside it (mode 0600, O_EXCL), fsync, rename over the target, fsync of the
// folder. The caller holds the target's FileLock (file_lock.h) when others may write it too.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace rpa_host {

// Throws std::runtime_error naming the file and the system's reason.
void replace_file(const std::string &file, std::string_view content);

// The folder part of `path` ("." for a bare name).
std::string folder_of(const std::string &path);

}  // namespace rpa_host
