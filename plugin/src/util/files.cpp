// util/files.h: what is the same on every system.
#include "util/files.h"

#include <filesystem>
#include <system_error>

namespace email {

PrivateDirectory::~PrivateDirectory() {
   std::error_code ignored;  // a file a library still holds open stays; the system's cleanup takes it
   std::filesystem::remove_all(std::filesystem::u8path(path_), ignored);
}

std::string PrivateDirectory::file(const std::string &name) const {
   return (std::filesystem::u8path(path_) / std::filesystem::u8path(name)).u8string();
}

FileOutputBuffer::int_type FileOutputBuffer::overflow(int_type c) {
   if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
   return std::fputc(c, file_) == EOF ? traits_type::eof() : c;
}

std::streamsize FileOutputBuffer::xsputn(const char *data, std::streamsize size) {
   return static_cast<std::streamsize>(std::fwrite(data, 1, static_cast<std::size_t>(size), file_));
}

int FileOutputBuffer::sync() { return std::fflush(file_) == 0 ? 0 : -1; }

}  // namespace email
