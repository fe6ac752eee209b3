#include "mime/plain_addresses.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace email::mime {

namespace {

// RFC 5322 atext: what a plain word or local part is made of.
bool is_atext(char c) {
   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          (c != '\0' && std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr);
}

std::string_view trimmed(std::string_view text) {
   while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
   while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
   return text;
}

// local@domain: dot-separated atext words, then dot-separated labels of letters, digits and '-'.
bool plain_address(std::string_view address) {
   const std::size_t at = address.find('@');
   if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
   const std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
   char last = '.';
   for (char c : local) {
      if (c == '.' ? last == '.' : !is_atext(c)) return false;
      last = c;
   }
   if (last == '.') return false;
   last = '.';
   for (char c : domain) {
      const bool label =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (c == '.' ? last == '.' : !label) return false;
      last = c;
   }
   // An internationalized domain in its ASCII form: GMime shows it decoded.
   std::string lower(domain);
   for (char &c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
   return last != '.' && lower.rfind("xn--", 0) != 0 && lower.find(".xn--") == std::string::npos;
}

// Words of atext separated by single spaces.
bool plain_name(std::string_view name) {
   char last = ' ';
   for (char c : name) {
      if (c == ' ' ? last == ' ' : !is_atext(c)) return false;
      last = c;
   }
   return last != ' ';
}

}  // namespace

bool read_plain_addresses(std::string_view value, std::vector<MailAddress> &out) {
   for (char c : value)
      if (c < 0x20 || c > 0x7e) return false;
   if (value.find("=?") != std::string_view::npos) return false;  // an encoded word, perhaps
   // Straight into `out`, cut back to where it was if an element is not plain. One allocation
   // for the usual list (not one per comma of a hostile one), none when `out` has the room.
   const std::size_t before = out.size();
   out.reserve(before + std::min<std::size_t>(
                            static_cast<std::size_t>(std::count(value.begin(), value.end(), ',')) + 1, 64));
   auto refuse = [&] {
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(before), out.end());
      return false;
   };
   while (true) {
      const std::size_t comma = value.find(',');
      const std::string_view element = trimmed(value.substr(0, comma));
      const std::size_t open = element.find('<');
      if (open == std::string_view::npos) {
         if (!plain_address(element)) return refuse();
         if (out.size() < 1000) out.push_back({"", std::string(element)});
      } else {
         const std::string_view name = trimmed(element.substr(0, open));
         if (element.back() != '>' || (!name.empty() && !plain_name(name)) ||
             (!name.empty() && open == name.size()))
            return refuse();  // "Name<a@b>" without a space: GMime's to judge
         const std::string_view address = element.substr(open + 1, element.size() - open - 2);
         if (!plain_address(address)) return refuse();
         if (out.size() < 1000) out.push_back({std::string(name), std::string(address)});
      }
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
   }
   return true;
}

}  // namespace email::mime
