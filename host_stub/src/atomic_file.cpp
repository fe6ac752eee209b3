#include "atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rpa_host {

namespace {

void write_all(int fd, std::string_view bytes, const std::string &path) {
   while (!bytes.empty()) {
      ssize_t written = ::write(fd, bytes.data(), bytes.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) throw std::runtime_error("cannot write \"" + path + "\": " + std::strerror(errno));
      bytes.remove_prefix(static_cast<std::size_t>(written));
   }
}

}  // namespace

std::string folder_of(const std::string &path) {
   const std::size_t slash = path.rfind('/');
   if (slash == std::string::npos) return ".";
   return slash == 0 ? "/" : path.substr(0, slash);
}

void replace_file(const std::string &file, std::string_view content) {
   std::string temporary = file + ".tmp.XXXXXX";
   int fd = ::mkstemp(temporary.data());  // 0600, O_EXCL, beside the target
   if (fd < 0)
      throw std::runtime_error("cannot create a file beside \"" + file + "\": " + std::strerror(errno));
   ::fcntl(fd, F_SETFD, FD_CLOEXEC);
   try {
      write_all(fd, content, temporary);
      if (::fsync(fd) != 0)
         throw std::runtime_error("cannot flush \"" + temporary + "\": " + std::strerror(errno));
   } catch (...) {
      ::close(fd);
      ::unlink(temporary.c_str());
      throw;
   }
   ::close(fd);
   if (::rename(temporary.c_str(), file.c_str()) != 0) {
      const int error = errno;
      ::unlink(temporary.c_str());
      throw std::runtime_error("cannot replace \"" + file + "\": " + std::strerror(error));
   }
   int dir = ::open(folder_of(file).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
   if (dir >= 0) {
      ::fsync(dir);  // make the rename itself durable
      ::close(dir);
   }
}

}  // namespace rpa_host
