#include "mime/iso2022jp.h"

#include "util/text.h"

namespace email::mime {

namespace {

// The header `name`, as written, in ISO-2022-JP: RFC 2047 B words (mime/iso2022jp.h), which
// GMime's own encoder would write as Q words that Japanese readers often cannot read.
void set_raw(GMimeMessage *message, const char *name, const std::string &value) {
   GMimeHeader *header =
       g_mime_header_list_get_header(g_mime_object_get_header_list(GMIME_OBJECT(message)), name);
   if (header) g_mime_header_set_raw_value(header, (" " + value + "\n").c_str());
}

// An address header's value with its display names in ISO-2022-JP, one address a line.
std::string addresses_in_iso2022jp(InternetAddressList *list, const std::string &member) {
   std::string value;
   const int count = list ? internet_address_list_length(list) : 0;
   for (int i = 0; i < count; ++i) {
      InternetAddress *address = internet_address_list_get_address(list, i);
      const char *name = internet_address_get_name(address);
      std::string text;
      if (INTERNET_ADDRESS_IS_MAILBOX(address) && name && !is_ascii(name)) {
         text = encoded_words(name, member + " (a name)") + " <" +
                internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address)) + ">";
      } else {
         char *plain = internet_address_to_string(address, nullptr, TRUE);
         text = plain ? plain : "";
         g_free(plain);
      }
      value += (value.empty() ? "" : ",\n ") + text;
   }
   return value;
}

}  // namespace

void headers_in_iso2022jp(GMimeMessage *message, const std::string &subject) {
   g_mime_message_set_subject(message, subject.c_str(), "utf-8");
   set_raw(message, "Subject", encoded_words(subject, "subject", "\n "));
   const struct {
      const char *header, *member;
      InternetAddressList *list;
   } fields[] = {{"From", "from", g_mime_message_get_from(message)},
                 {"To", "to", g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO)},
                 {"Cc", "cc", g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_CC)},
                 {"Reply-To", "reply_to", g_mime_message_get_reply_to(message)}};
   for (const auto &field : fields)
      if (field.list && internet_address_list_length(field.list) > 0)
         set_raw(message, field.header, addresses_in_iso2022jp(field.list, field.member));
}

}  // namespace email::mime
