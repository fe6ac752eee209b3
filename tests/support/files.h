// Small file helpers for tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace test {

// The whole file as bytes; "" when it cannot be read.
inline std::string read_file(const std::string &path) {
   std::ifstream file(path, std::ios::binary);
   std::stringstream text;
   text << file.rdbuf();
   return text.str();
}

}  // namespace test
