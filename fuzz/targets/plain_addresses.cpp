// An address header's value as a summary reads it: where the fast path (mime/plain_addresses.h)
// takes the value as plain, GMime's parser must read the same mailboxes from it, name for name;
// where it does not, nothing may have been added.
#include <cstdint>
#include <string>
#include <vector>

#include "mime/gmime_runtime.h"
#include "mime/header_summary.h"
#include "mime/plain_addresses.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string value(reinterpret_cast<const char *>(data), size);
   if (value.find('\0') != std::string::npos) return 0;
   std::vector<email::MailAddress> fast;
   if (!email::mime::read_plain_addresses(value, fast)) {
      if (!fast.empty()) __builtin_trap();
      return 0;
   }
   std::vector<email::MailAddress> by_gmime;
   InternetAddressList *list = internet_address_list_parse(email::mime::parser_options(), value.c_str());
   email::mime::add_addresses(list, by_gmime);
   if (list) g_object_unref(list);
   if (fast.size() != by_gmime.size()) __builtin_trap();
   for (std::size_t i = 0; i < fast.size(); ++i)
      if (fast[i].name != by_gmime[i].name || fast[i].address != by_gmime[i].address) __builtin_trap();
   return 0;
}
