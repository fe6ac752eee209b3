// A Subject or Message-ID value as a summary reads it: where the fast paths (mime/plain_text.h)
// take the value as plain, GMime's decoders must give the same text.
#include <algorithm>
#include <cstdint>
#include <string>

#include "mime/gmime_runtime.h"
#include "mime/plain_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string value(reinterpret_cast<const char *>(data), size);
   if (value.find('\0') != std::string::npos) return 0;
   if (const auto subject = email::mime::read_plain_subject(value)) {
      gchar *decoded = g_mime_utils_header_decode_text(email::mime::parser_options(), value.c_str());
      std::string by_gmime = decoded ? decoded : "";
      g_free(decoded);
      by_gmime.erase(0, std::min(by_gmime.find_first_not_of(" \t"), by_gmime.size()));
      if (by_gmime != *subject) __builtin_trap();
   }
   if (const auto id = email::mime::read_plain_message_id(value)) {
      email::mime::parser_options();  // starts GMime
      char *decoded = g_mime_utils_decode_message_id(value.c_str());
      if (!decoded) __builtin_trap();
      const std::string by_gmime = std::string("<") + decoded + ">";
      g_free(decoded);
      if (by_gmime != *id) __builtin_trap();
   }
   return 0;
}
