// What a bot sends (email.send/1): the send, reply and forward requests and a raw message's envelope, parsed or refused
// naming the member; a raw message spooled for the wire, whose invariants are checked: CRLF line
// ends only, no Bcc field in the header, the size as written, at least one recipient.
#include <cctype>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_host.h"
#include "mime/message_composer.h"
#include "mime/outgoing_message.h"
#include "mime/reply_builder.h"
#include "util/failure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   try {
      email::OutgoingMessage message = email::parse_send_request(input.c_str());
      message.attachments.clear();  // no file of the fuzzer's naming is read
      (void)email::compose_message(message, "session@example.com");
   } catch (const email::Failure &) {}
   try {
      (void)email::parse_raw_envelope(input.c_str());
   } catch (const email::Failure &) {}
   try {
      (void)email::parse_reply_request(input.c_str());
   } catch (const email::Failure &) {}
   try {
      (void)email::parse_forward_request(input.c_str());
   } catch (const email::Failure &) {}
   // The prefix goes on once: a subject that has it already is left as it is.
   const std::string once = email::prefixed_subject(input, "Re: ", {"re:"});
   if (email::prefixed_subject(once, "Re: ", {"re:"}) != once) std::abort();
   try {
      email::ComposedMessage spooled = email::spool_raw_message(input, {}, "session@example.com");
      std::string bytes(static_cast<std::size_t>(spooled.size) + 1, '\0');
      email::ComposedReader reader(spooled);
      std::size_t have = 0;
      while (const std::size_t got =
                 reader.read(bytes.data() + have, std::min<std::size_t>(5, bytes.size() - have)))
         have += got;
      if (have != spooled.size) std::abort();  // the size is not what can be read
      bytes.resize(have);
      for (std::size_t i = 0; i < bytes.size(); ++i) {
         if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) std::abort();                 // a bare LF
         if (bytes[i] == '\r' && (i + 1 == bytes.size() || bytes[i + 1] != '\n')) std::abort();  // a bare CR
      }
      // A header of a Bcc field alone is empty once the field is left out: the bytes then begin
      // with the empty line, and all of them are the body.
      const std::size_t header_end = bytes.rfind("\r\n", 0) == 0 ? 0 : bytes.find("\r\n\r\n");
      const std::string header = "\r\n" + bytes.substr(0, header_end);
      for (std::size_t at = header.find("\r\n"); at != std::string::npos; at = header.find("\r\n", at + 2))
         if (header.size() >= at + 6) {
            std::string field = header.substr(at + 2, 4);
            for (char &c : field) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (field == "bcc:") std::abort();  // a Bcc field went out
         }
      if (spooled.recipients.empty() || spooled.from.empty()) std::abort();
   } catch (const email::Failure &) {}
   return 0;
}
