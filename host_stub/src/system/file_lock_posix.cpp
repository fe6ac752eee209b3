// system/file_lock.h on Linux: flock(2) on a 0600 lock file; readlink(2) for the vault's symlinks.
#include "system/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace rpa_host {

FileLock::Handle FileLock::open_lock_file(const std::string &path, std::string &error) {
   const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
   if (fd < 0) error = std::strerror(errno);
   return fd;
}

bool FileLock::try_lock(Handle file, Mode mode, bool &busy, std::string &error) {
   const int operation = (mode == Mode::exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
   if (::flock(static_cast<int>(file), operation) == 0) return true;
   busy = errno == EWOULDBLOCK || errno == EINTR;
   error = std::strerror(errno);
   return false;
}

void FileLock::close_lock_file(Handle file) {
   ::close(static_cast<int>(file));  // closing the descriptor releases the lock
}

std::string resolve_final_symlinks(const std::string &path) {
   std::string current = path;
   for (int hops = 0; hops < 40; ++hops) {
      struct stat info {};
      if (::lstat(current.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return current;
      std::vector<char> target(static_cast<std::size_t>(info.st_size > 0 ? info.st_size : 4096) + 1);
      const ssize_t length = ::readlink(current.c_str(), target.data(), target.size());
      if (length < 0 || static_cast<std::size_t>(length) >= target.size()) return current;
      std::string next(target.data(), static_cast<std::size_t>(length));
      if (next.empty() || next[0] != '/') {
         const std::size_t slash = current.rfind('/');
         if (slash != std::string::npos) next = current.substr(0, slash + 1) + next;
      }
      current = next;
   }
   throw std::runtime_error("\"" + path + "\" is a loop of symbolic links");
}

}  // namespace rpa_host
