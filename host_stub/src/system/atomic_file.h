// Whole files, as the vault and the designer's bot files need them.
//
// replace_file writes a whole file so that readers see the old content or the new, never a part: a
// temporary file beside it (private to the user: Linux's mode 0600, and on Windows a DACL that lets
// that user alone in, whatever the folder would pass on; created exclusively), flushed to the disk, then
// renamed over the target (Linux: rename(2) and an fsync of the folder; Windows: MoveFileExW with
// MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH). The caller holds the target's FileLock
// (file_lock.h) when others may write it too.
//
// read_whole_file reads one, with its identity (volume, file id, size, modification time), so a
// reader can tell whether another process has replaced it since. Paths are UTF-8 on both systems.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rpa_host {

// Throws std::runtime_error naming the file and the system's reason.
void replace_file(const std::string &file, std::string_view content);

// The folder part of `path` ("." for a bare name). Windows takes '\' as a separator too.
std::string folder_of(const std::string &path);

struct FileIdentity {
   std::uint64_t volume = 0;
   std::uint64_t file = 0;  // inode, or the NTFS file index
   std::int64_t size = -1;  // -1: no file
   std::int64_t modified_ns = 0;
   bool operator==(const FileIdentity &other) const {
      return volume == other.volume && file == other.file && size == other.size &&
             modified_ns == other.modified_ns;
   }
};

// The whole file into `text` and its identity; false when there is no such file. Throws
// std::runtime_error with the system's reason when it cannot be read, and when it is longer than
// `limit` bytes ("larger than ...").
bool read_whole_file(const std::string &path, std::size_t limit, std::string &text, FileIdentity &identity);

// The identity of the file now (size -1 when there is none).
FileIdentity identity_of(const std::string &path);

// Whether only the user this process runs as may open `path`, as replace_file leaves it: mode 0600
// and that owner on Linux; on Windows a DACL that lets in that user and no one else but the system
// (LocalSystem).
bool is_private_to_user(const std::string &path);

}  // namespace rpa_host
