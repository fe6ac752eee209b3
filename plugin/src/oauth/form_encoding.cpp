#include "oauth/form_encoding.h"

#include <string>

namespace email {

namespace {
bool unreserved(unsigned char c) {
   return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.' || c == '_' || c == '~';
}

template <typename Out>
void encode_into(Out &out, std::string_view value) {
   static const char hex[] = "0123456789ABCDEF";
   for (unsigned char c : value) {
      if (unreserved(c)) {
         out.append(static_cast<char>(c));
         continue;
      }
      const char escaped[3] = {'%', hex[c >> 4], hex[c & 15]};
      out.append(std::string_view(escaped, 3));
   }
}

struct StringOut {
   std::string &text;
   void append(char c) { text.push_back(c); }
   void append(std::string_view bytes) { text.append(bytes); }
};
}  // namespace

void append_form_field(SecretString &form, std::string_view name, std::string_view value) {
   form.reserve(form.size() + name.size() + value.size() * 3 + 2);  // no reallocation leaves a copy
   if (!form.empty()) form.append('&');
   encode_into(form, name);
   form.append('=');
   encode_into(form, value);
}

std::string url_encode(std::string_view value) {
   std::string text;
   StringOut out{text};
   encode_into(out, value);
   return text;
}

}  // namespace email
