#include "mime/plain_text.h"

namespace email::mime {

namespace {

// RFC 5322 3.2.3 atext.
bool atext(char c) {
   if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
   for (char special : std::string_view("!#$%&'*+-/=?^_`{|}~"))
      if (c == special) return true;
   return false;
}

// RFC 5322 3.2.3 dot-atom-text: atext runs joined by single dots.
bool dot_atom(std::string_view text) {
   if (text.empty() || text.front() == '.' || text.back() == '.') return false;
   for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '.') {
         if (text[i + 1] == '.') return false;  // not the last: text.back() is no dot
         continue;
      }
      if (!atext(text[i])) return false;
   }
   return true;
}

}  // namespace

std::optional<std::string> read_plain_subject(std::string_view value) {
   for (char c : value)
      if (c < 0x20 || c > 0x7e) return std::nullopt;
   if (value.find("=?") != std::string_view::npos) return std::nullopt;
   const std::size_t first = value.find_first_not_of(' ');
   return std::string(first == std::string_view::npos ? std::string_view() : value.substr(first));
}

std::optional<std::string> read_plain_message_id(std::string_view value) {
   while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
   while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
   if (value.size() < 5 || value.front() != '<' || value.back() != '>') return std::nullopt;
   const std::string_view inside = value.substr(1, value.size() - 2);
   const std::size_t at = inside.find('@');
   if (at == std::string_view::npos || !dot_atom(inside.substr(0, at)) || !dot_atom(inside.substr(at + 1)))
      return std::nullopt;
   return std::string(value);
}

}  // namespace email::mime
