// Which parts of a message are its attachments: one rule for every protocol, applied to IMAP's
// BODYSTRUCTURE (imap/imap_fetch.h) and to a message GMime parsed (mime/message_file.h), so an
// attachment's index in a search summary names the same part that fetch_attachment decodes.
//
// Parts are visited depth-first in order; multiparts are walked into, an attached message
// (message/rfc822, message/global) is one attachment and not walked into. A leaf part is an
// attachment when its Content-Disposition says "attachment", or when it has a file name and is
// not marked "inline", or when it is an attached message not marked inline.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/text.h"

namespace email::mime {

inline bool is_attached_message(std::string_view type, std::string_view subtype) {
   return iequals(type, "message") && (iequals(subtype, "rfc822") || iequals(subtype, "global"));
}

inline bool is_attachment(std::string_view disposition, std::string_view filename, std::string_view type,
                          std::string_view subtype) {
   if (iequals(disposition, "attachment")) return true;
   if (iequals(disposition, "inline")) return false;
   return !filename.empty() || is_attached_message(type, subtype);
}

// What fetching attachment `index` of a message with `count` says (message_not_found); sibling
// actions that save every attachment stop at it.
inline std::string no_such_attachment(std::size_t count, unsigned index) {
   return "the message has " + std::to_string(count) + (count == 1 ? " attachment" : " attachments") +
          "; there is no attachment " + std::to_string(index);
}

// The decoded size of `encoded_size` bytes in `encoding` (base64 carries 57 bytes per 78-byte
// line; an estimate for lines of other lengths).
inline unsigned long long decoded_size_estimate(unsigned long long encoded_size, std::string_view encoding) {
   return iequals(encoding, "base64") ? encoded_size * 57 / 78 : encoded_size;
}

}  // namespace email::mime
