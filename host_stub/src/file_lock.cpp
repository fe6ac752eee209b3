#include "file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

namespace rpa_host {

FileLock::FileLock(const std::string &guarded, Mode mode, std::chrono::milliseconds wait) {
   const std::string path = guarded + ".lock";
   fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
   if (fd_ < 0)
      throw std::runtime_error("cannot open the lock file \"" + path + "\": " + std::strerror(errno));
   const int operation = (mode == Mode::exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
   const auto until = std::chrono::steady_clock::now() + wait;
   auto pause = std::chrono::milliseconds(1);
   while (::flock(fd_, operation) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
         const int error = errno;
         ::close(fd_);
         throw std::runtime_error("cannot lock \"" + path + "\": " + std::strerror(error));
      }
      if (std::chrono::steady_clock::now() >= until) {
         ::close(fd_);
         throw LockTimeout("\"" + guarded + "\" stayed locked by another process for " +
                           std::to_string(wait.count() / 1000) + " s (" + path + "); try again");
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(20));
   }
}

FileLock::~FileLock() {
   if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the lock
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
