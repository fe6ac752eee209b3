// util/files.h on Linux.
#include "util/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace email {

std::FILE *open_temporary_file(std::string &error) {
   const char *configured = std::getenv("TMPDIR");
   const std::string folder = configured && *configured ? configured : "/tmp";
   std::string path = folder + "/rpa-email-XXXXXX";
   const int fd = ::mkostemp(path.data(), O_CLOEXEC);  // mode 0600
   if (fd < 0) {
      error = "cannot make a temporary file in \"" + folder + "\": " + std::strerror(errno);
      return nullptr;
   }
   ::unlink(path.c_str());
   std::FILE *file = ::fdopen(fd, "w+b");
   if (!file) {
      error = std::strerror(errno);
      ::close(fd);
   }
   return file;
}

std::FILE *open_file_for_reading(const std::string &path, std::string &error) {
   std::FILE *file = std::fopen(path.c_str(), "rbe");  // e: O_CLOEXEC
   if (!file) error = std::strerror(errno);
   return file;
}

PrivateDirectory::PrivateDirectory() {
   const char *configured = std::getenv("TMPDIR");
   const std::string folder = configured && *configured ? configured : "/tmp";
   std::string path = folder + "/rpa-email-XXXXXX";
   if (!::mkdtemp(path.data()))  // mode 0700
      throw std::runtime_error("cannot make a private directory in \"" + folder +
                               "\": " + std::strerror(errno));
   path_ = path;
}

std::FILE *open_new_file_for_writing(const std::string &path, std::string &error) {
   std::FILE *file = std::fopen(path.c_str(), "wbxe");  // x: O_EXCL, e: O_CLOEXEC
   if (!file) error = std::strerror(errno);
   return file;
}

bool empty_file(std::FILE *file) {
   return std::fflush(file) == 0 && ::ftruncate(::fileno(file), 0) == 0 && std::fseek(file, 0, SEEK_SET) == 0;
}

bool seek_file(std::FILE *file, std::uint64_t offset) {
   return ::fseeko(file, static_cast<off_t>(offset), SEEK_SET) == 0;
}

}  // namespace email
