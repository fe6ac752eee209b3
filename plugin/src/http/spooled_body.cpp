#include "http/spooled_body.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/failure.h"
#include "util/text.h"

namespace email {

SpooledBody::SpooledBody() {
   const char *folder = std::getenv("TMPDIR");
   std::string path = std::string(folder && *folder ? folder : "/tmp") + "/rpa-email-body-XXXXXX";
   const int fd = ::mkstemp(path.data());  // mode 0600
   if (fd < 0 || !(file_ = ::fdopen(fd, "rb"))) {
      if (fd >= 0) {
         ::close(fd);
         ::unlink(path.c_str());
      }
      throw Failure(RPA_INTERNAL, "cannot make a temporary file for a response body in \"" +
                                      printable(path, 200) + "\" (" + std::strerror(errno) + ")");
   }
   path_ = path;
}

SpooledBody::~SpooledBody() {
   if (!path_.empty()) ::unlink(path_.c_str());
   if (file_) std::fclose(file_);
}

std::uint64_t SpooledBody::size() const {
   struct stat status {};
   return ::fstat(::fileno(file_), &status) == 0 ? static_cast<std::uint64_t>(status.st_size) : 0;
}

bool SpooledBody::read(const std::function<bool(std::string_view chunk)> &chunk) const {
   std::rewind(file_);
   std::string buffer(64 * 1024, '\0');
   std::size_t got = 0;
   while ((got = std::fread(buffer.data(), 1, buffer.size(), file_)) > 0)
      if (!chunk(std::string_view(buffer.data(), got))) return false;
   return true;
}

}  // namespace email
