#include "util/text.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace email {

static char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
static char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
   if (a.size() != b.size()) return false;
   for (std::size_t i = 0; i < a.size(); ++i)
      if (upper(a[i]) != upper(b[i])) return false;
   return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
   return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string to_upper_ascii(std::string_view text) {
   std::string out(text);
   for (char &c : out) c = upper(c);
   return out;
}

std::string to_lower_ascii(std::string_view text) {
   std::string out(text);
   for (char &c : out) c = lower(c);
   return out;
}

std::string printable(std::string_view text, std::size_t max_size) {
   std::string out;
   out.reserve(std::min(text.size(), max_size) + 3);
   for (char c : text.substr(0, max_size)) {
      unsigned char u = static_cast<unsigned char>(c);
      out += (u < 0x20 || u == 0x7f) ? ' ' : c;
   }
   if (text.size() > max_size) out += "...";
   return out;
}

bool is_ascii(std::string_view text) {
   // Eight bytes at a time (a message body of megabytes is checked whole), the high bits ORed.
   const char *at = text.data(), *end = text.data() + text.size();
   while (end - at >= 64) {
      std::uint64_t high = 0;
      for (int i = 0; i < 8; ++i, at += 8) {
         std::uint64_t word;
         std::memcpy(&word, at, 8);
         high |= word;
      }
      if (high & 0x8080808080808080ULL) return false;
   }
   for (; at < end; ++at)
      if (static_cast<unsigned char>(*at) >= 0x80) return false;
   return true;
}

std::string short_hash(std::string_view text) {
   std::uint64_t hash = 14695981039346656037ull;
   for (unsigned char c : text) {
      hash ^= c;
      hash *= 1099511628211ull;
   }
   char digits[13];
   std::snprintf(digits, sizeof digits, "%012llx", static_cast<unsigned long long>(hash & 0xffffffffffffull));
   return digits;
}

}  // namespace email
