// system/atomic_file.h on Linux: mkstemp, fsync, rename(2); fstat for a file's identity.
#include "system/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
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

FileIdentity identity_from(const struct stat &info) {
   return {static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
           static_cast<std::int64_t>(info.st_size),
           static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec};
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

bool read_whole_file(const std::string &path, std::size_t limit, std::string &text, FileIdentity &identity) {
   const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
   if (fd < 0) {
      if (errno == ENOENT) return false;
      throw std::runtime_error("cannot read \"" + path + "\": " + std::strerror(errno));
   }
   struct stat info {};
   if (::fstat(fd, &info) != 0 || static_cast<std::size_t>(info.st_size) > limit) {
      ::close(fd);
      throw std::runtime_error("cannot read \"" + path + "\": larger than " + std::to_string(limit) +
                               " bytes");
   }
   identity = identity_from(info);
   text.clear();
   char buffer[65536];
   for (;;) {
      const ssize_t got = ::read(fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
         const int error = errno;
         ::close(fd);
         throw std::runtime_error("cannot read \"" + path + "\": " + std::strerror(error));
      }
      if (got == 0) break;
      text.append(buffer, static_cast<std::size_t>(got));
      if (text.size() > limit) {
         ::close(fd);
         throw std::runtime_error("cannot read \"" + path + "\": larger than " + std::to_string(limit) +
                                  " bytes");
      }
   }
   ::close(fd);
   return true;
}

FileIdentity identity_of(const std::string &path) {
   struct stat info {};
   if (::stat(path.c_str(), &info) != 0) return {};
   return identity_from(info);
}

bool is_private_to_user(const std::string &path) {
   struct stat info {};
   return ::stat(path.c_str(), &info) == 0 && (info.st_mode & 0777) == 0600 && info.st_uid == ::geteuid();
}

}  // namespace rpa_host
