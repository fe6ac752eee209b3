// Small file helpers for tests, the same on Linux and Windows (std::filesystem; names from
// rpa::random_hex, so two test processes never collide).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include <rpa_common/random_hex.h>

namespace test {

// The whole file as bytes; "" when it cannot be read. Paths are UTF-8 (on Windows too).
inline std::string read_file(const std::string &path) {
   std::ifstream file(std::filesystem::u8path(path), std::ios::binary);
   std::stringstream text;
   text << file.rdbuf();
   return text.str();
}

// `size` random bytes (every value 0-255), for attachments that must arrive byte for byte.
inline std::string random_bytes(std::size_t size) {
   std::string bytes;
   while (bytes.size() < size) {
      const std::string hex = rpa::random_hex(64);
      for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
         bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
   }
   bytes.resize(size);
   return bytes;
}

// A path in the system's temporary folder that nothing uses yet: `<temp>/<prefix>.<random>`.
// Nothing is created there.
inline std::string unused_temp_path(const std::string &prefix) {
   return (std::filesystem::temp_directory_path() /
           std::filesystem::u8path(prefix + "." + rpa::random_hex(6)))
       .u8string();
}

// A folder made in the system's temporary folder, removed with everything in it with the object.
class TempDirectory {
 public:
   explicit TempDirectory(const std::string &prefix)
       : path_(std::filesystem::u8path(unused_temp_path(prefix))) {
      std::filesystem::create_directory(path_);
   }
   ~TempDirectory() {
      std::error_code ignored;
      std::filesystem::remove_all(path_, ignored);
   }
   TempDirectory(const TempDirectory &) = delete;
   TempDirectory &operator=(const TempDirectory &) = delete;
   const std::filesystem::path &path() const { return path_; }
   // The folder's path, UTF-8.
   std::string name() const { return path_.u8string(); }
   // The path (UTF-8) of `name` (UTF-8) inside the folder.
   std::string file(const std::string &name) const {
      return (path_ / std::filesystem::u8path(name)).u8string();
   }

 private:
   std::filesystem::path path_;
};

}  // namespace test
