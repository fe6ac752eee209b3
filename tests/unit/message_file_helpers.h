// What the unit tests that read spooled messages (mime/message_file.h) share.
#pragma once

#include <string>
#include <string_view>

#include "mime/message_file.h"

namespace test {

// Attachment `index` of `message`, decoded whole.
inline std::string attachment_bytes(const email::mime::MessageFile &message, unsigned index) {
   std::string bytes;
   message.write_attachment(index, [&](std::string_view chunk) { bytes.append(chunk); });
   return bytes;
}

}  // namespace test
