// Reading FETCH responses (RFC 9051 section 7.5.2): the items a summary needs, and the
// attachments a BODYSTRUCTURE describes by the rule of mime/attachment_rule.h. Free of I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imap/imap_values.h"
#include "mailbox/mailbox.h"

namespace email::imap {

// An attachment (by the rule of mime/attachment_rule.h) and where it lies in the message.
struct AttachmentPart {
   AttachmentInfo info;
   std::string section;   // its body section (RFC 9051 6.4.5): "2", "1.3"; "1" for a single-part message
   std::string encoding;  // Content-Transfer-Encoding in lower case: "base64", "7bit", ...
   bool attached_message = false;  // message/rfc822 or message/global
};

struct FetchedItems {
   std::uint64_t uid = 0;  // 0 when absent
   std::vector<std::string> flags;
   std::optional<std::uint64_t> size;                       // RFC822.SIZE
   std::optional<std::string> header;                       // BODY[HEADER.FIELDS (...)] or BODY[HEADER]
   std::optional<std::vector<AttachmentInfo>> attachments;  // from BODYSTRUCTURE
   std::vector<AttachmentPart> attachment_parts;            // the same, with sections (`with_sections`)
   bool has_flag(std::string_view flag) const;
};

// Parses the data of "* 12 FETCH (...)" (the part after FETCH); `with_sections` fills
// attachment_parts too. Throws std::invalid_argument.
FetchedItems parse_fetch(std::string_view data, bool with_sections = false);

// The attachments a BODYSTRUCTURE value describes, with and without where they lie.
std::vector<AttachmentPart> attachment_parts_of(const Value &body_structure);
std::vector<AttachmentInfo> attachments_of(const Value &body_structure);

// "1:5,7,9:12" for sorted, distinct UIDs.
std::string uid_set(const std::vector<std::uint64_t> &sorted_uids);

// The UIDs of "* SEARCH 3 5 8" data ("3 5 8"); words that are not numbers are skipped.
std::vector<std::uint64_t> parse_search(std::string_view data);

// COPYUID / APPENDUID response codes (RFC 4315): "COPYUID 38505 304,319:320 3956:3958".
struct UidPlusCode {
   std::uint64_t uidvalidity = 0;
   std::vector<std::uint64_t> source, destination;  // APPENDUID: destination only
};
std::optional<UidPlusCode> parse_uidplus_code(std::string_view code);

// "1-Dec-2026" (RFC 9051 date for SEARCH SINCE/BEFORE).
std::string search_date(const CalendarDate &date);

}  // namespace email::imap
