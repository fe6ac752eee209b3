// SHA-256 (OpenSSL EVP) of one or more byte strings fed in order, without joining them first
// (so secrets need not be copied into a temporary).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace email {

// The 32-byte digest.
std::string sha256(std::initializer_list<std::string_view> parts);
// The digest as 64 lower-case hex digits.
std::string sha256_hex(std::initializer_list<std::string_view> parts);

}  // namespace email
