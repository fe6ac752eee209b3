#include "http/spooled_body.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>

#include "util/failure.h"
#include "util/files.h"

namespace email {

SpooledBody::SpooledBody() {
   std::string error;
   file_ = open_temporary_file(error);
   if (!file_) throw Failure(RPA_INTERNAL, "no temporary file for a response body: " + error);
   output_buffer_ = std::make_unique<FileOutputBuffer>(file_);
   output_ = std::make_unique<std::ostream>(output_buffer_.get());
}

SpooledBody::~SpooledBody() {
   output_.reset();
   std::fclose(file_);  // the system removes the file
}

std::ostream &SpooledBody::rewrite() {
   output_->clear();
   if (!empty_file(file_))
      throw Failure(RPA_INTERNAL, "the temporary file for a response body cannot be emptied");
   return *output_;
}

std::uint64_t SpooledBody::size() const {
   std::fflush(file_);
   struct stat status {};
   return ::fstat(::fileno(file_), &status) == 0 ? static_cast<std::uint64_t>(status.st_size) : 0;
}

bool SpooledBody::read(const std::function<bool(std::string_view chunk)> &chunk) const {
   return read(0, UINT64_MAX, chunk);
}

bool SpooledBody::read(std::uint64_t offset, std::uint64_t length,
                       const std::function<bool(std::string_view chunk)> &chunk) const {
   std::fflush(file_);
   if (!seek_file(file_, offset)) return false;
   std::string buffer(64 * 1024, '\0');
   std::size_t got = 0;
   while (length > 0 &&
          (got = std::fread(buffer.data(), 1,
                            static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), length)),
                            file_)) > 0) {
      length -= got;
      if (!chunk(std::string_view(buffer.data(), got))) return false;
   }
   return true;
}

}  // namespace email
