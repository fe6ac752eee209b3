// What a summary shows from a message's header, decoded by GMime: RFC 2047 encoded words,
// undeclared 8-bit text in the fallback charsets (mime/gmime_runtime.h), address lists and the
// Date header.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gmime/gmime.h>

#include "mailbox/mailbox.h"

namespace email::mime {

struct HeaderSummary {
   std::string subject;
   std::optional<MailAddress> from;
   std::vector<MailAddress> to, cc;
   std::string date;                 // RFC 3339 in the header's own offset, "" when missing/unreadable
   std::optional<CalendarDate> day;  // the date part of `date`
   std::string message_id;           // "<...>", "" when missing
};

// Reads a header block ("Subject: ...\r\nFrom: ...\r\n", with or without the blank line after it).
// Never throws on bad input: what cannot be read is left empty.
HeaderSummary summarize_headers(std::string_view header_block);

// The same from a message GMime already parsed.
HeaderSummary summarize_message(GMimeMessage *message);

// Appends the mailboxes of `list` (a group's members in its place) to `out`, at most 1,000; null
// adds none.
void add_addresses(InternetAddressList *list, std::vector<MailAddress> &out);

// Decodes a MIME parameter the way a header would carry it: `value` of parameter `name` (which
// may be an RFC 2231 form such as "filename*" or "filename*0*") of a Content-Disposition
// (`in_disposition`) or Content-Type; returns the UTF-8 value of the plain parameter, "" when none.
// Used for IMAP BODYSTRUCTURE parameters, which servers pass on undecoded.
class ParameterDecoder {
 public:
   void add(std::string_view name, std::string_view value);
   std::string get(std::string_view plain_name) const;  // e.g. "filename" or "name"

 private:
   struct Added {
      std::string name;
      std::string base;  // the name before any '*', in lower case
      bool extended;     // an RFC 2231 form
      std::string value;
   };
   // "x; a=b; c*=..." for GMime to parse, built only when get() needs GMime.
   std::string header_for_gmime() const;
   std::vector<Added> added_;
};

}  // namespace email::mime
