// Small text helpers shared by the protocol parsers.
#pragma once

#include <string>
#include <string_view>

namespace email {

bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
std::string to_upper_ascii(std::string_view text);
std::string to_lower_ascii(std::string_view text);
// Whether every byte is 7-bit ASCII.
bool is_ascii(std::string_view text);
// Makes server-supplied text safe to show: control characters become spaces, length is capped.
std::string printable(std::string_view text, std::size_t max_size = 300);

// 12 hex digits (48 bits of FNV-1a 64) naming `text` in a cursor a bot keeps: short, stable
// across processes and platforms, and not the text itself. Not a digest for secrets.
std::string short_hash(std::string_view text);

}  // namespace email
