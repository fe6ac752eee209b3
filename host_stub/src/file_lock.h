// FileLock: an flock(2) on a lock file beside the file it guards ("<file>.lock", created 0600 and
// never removed, so every process locks the same inode). Exclusive for a read-modify-write,
// shared for a read. Waits at most `wait`, then throws LockTimeout; released on destruction.
// flock locks belong to the open file, so two FileLocks in one process exclude each other too.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

namespace rpa_host {

class LockTimeout : public std::runtime_error {
 public:
   using std::runtime_error::runtime_error;
};

class FileLock {
 public:
   enum class Mode { shared, exclusive };
   static constexpr std::chrono::seconds kDefaultWait{10};

   // Locks `<guarded>.lock`. Throws LockTimeout after `wait`, std::runtime_error when the lock
   // file cannot be opened.
   FileLock(const std::string &guarded, Mode mode, std::chrono::milliseconds wait = kDefaultWait);
   ~FileLock();
   FileLock(const FileLock &) = delete;
   FileLock &operator=(const FileLock &) = delete;

 private:
   int fd_ = -1;
};

// `path` with every symbolic link along the final component followed (a link to a link to the
// file yields the file), so writers replace the target and a vault path that is a symlink stays
// one. A dangling link yields its (missing) target. Throws std::runtime_error on a loop.
std::string resolve_final_symlinks(const std::string &path);

}  // namespace rpa_host
