// FileLock: a lock on a lock file beside the file it guards ("<file>.lock", created private to the
// user and never removed, so every process locks the same file). Exclusive for a read-modify-write,
// shared for a read. Waits at most `wait`, then throws LockTimeout; released on destruction.
// Linux: flock(2), mode 0600. Windows: LockFileEx on the whole file. Both locks belong to the open
// file, so two FileLocks in one process exclude each other too. Paths are UTF-8 on both systems.
#pragma once

#include <chrono>
#include <cstdint>
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
   // The system's part (file_lock_posix.cpp, file_lock_windows.cpp); errors as the system says them.
   using Handle = std::intptr_t;  // a descriptor, or a Windows HANDLE; -1: none
   static Handle open_lock_file(const std::string &path, std::string &error);
   static bool try_lock(Handle file, Mode mode, bool &busy, std::string &error);  // never waits
   static void close_lock_file(Handle file);                                      // releases the lock too

   Handle handle_ = -1;
};

// `path` with every symbolic link along the final component followed (a link to a link to the
// file yields the file), so writers replace the target and a vault path that is a symlink stays
// one. A dangling link yields its (missing) target. Throws std::runtime_error on a loop.
// Windows: the path the system opens (GetFinalPathNameByHandleW) when the file exists, else `path`.
std::string resolve_final_symlinks(const std::string &path);

}  // namespace rpa_host
