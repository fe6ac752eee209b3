// The message a bot sends, made ready for the wire: composed with GMime from its parts
// (compose_message), or a raw RFC 5322 message spooled as it is (spool_raw_message). Either way
// the result is a private temporary file (util/files.h) with CRLF line ends, its size, its
// Message-ID and its envelope, so a sender streams it and a 25 MB attachment is never whole in
// memory. A raw message whose lines already end in CRLF is not copied at all: its header (without
// Bcc) is kept, and its body read from the caller's bytes (ComposedReader reads either kind).
//
// Composition: UTF-8 text; RFC 2047 words for the subject and names; multipart/alternative for
// text + HTML, multipart/related for inline images (content_id), multipart/mixed for attachments,
// each streamed from its file in base64 with its name in RFC 2231 (Content-Disposition) and in an
// RFC 2047 word (Content-Type's name, for the older readers Outlook also writes it for); a
// Message-ID on the sender's domain; no Bcc header; every line at most 998 octets (bodies go
// quoted-printable or base64 when they need to).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mime/outgoing_message.h"

namespace email {

struct SpoolCloser {
   void operator()(std::FILE *file) const { std::fclose(file); }
};

struct ComposedMessage {
   std::unique_ptr<std::FILE, SpoolCloser> file;  // the message, positioned at its start; or null:
   std::string head;                              //   the header as it goes (raw messages),
   std::string_view body;                         //   the caller's bytes after it (valid during the call),
   std::string tail;                              //   and the CRLF the last line lacked, if it did
   std::uint64_t size = 0;
   std::string message_id;               // "<...@domain>", or "" when a raw message has none
   std::string from;                     // the envelope sender's address
   std::vector<std::string> recipients;  // to, cc and bcc addresses, each once
   std::vector<std::string> bcc;         // those of them in neither To nor Cc (blind copies)
   bool eightbit = false;                // some byte is not 7-bit ASCII (BODY=8BITMIME)
   bool utf8_headers = false;            // an envelope address is not ASCII (SMTPUTF8)
};

// `session_address`: the session's own address ("" when it has none), the sender when the message
// names none. Throws Failure: invalid_properties for an address that does not parse, no sender,
// an attachment that cannot be read (naming it); internal when no temporary file can be made.
ComposedMessage compose_message(const OutgoingMessage &message, const std::string &session_address);

// The raw message `data` with its line ends made CRLF and its Bcc field left out; the envelope
// from `envelope`, else from its own From / To / Cc / Bcc. Throws Failure(invalid_properties) when
// it has no header, no sender or no recipient.
ComposedMessage spool_raw_message(std::string_view data, const RawEnvelope &envelope,
                                  const std::string &session_address);

// Reads a composed message from its first byte, from its spool or its head, body and tail
// (implemented in mime/message_spool.cpp). Throws Failure(internal) when the spool cannot be read.
class ComposedReader {
 public:
   explicit ComposedReader(const ComposedMessage &message);
   std::size_t read(char *buffer, std::size_t capacity);

 private:
   const ComposedMessage &message_;
   std::uint64_t at_ = 0;
};

// The addresses in `text` ("a@b, Name <c@d>; e@f"), each checked for a local part and a domain.
// Throws Failure(invalid_properties) naming `member` and the text that does not parse.
std::vector<std::string> parse_address_list(const std::string &text, const std::string &member);

}  // namespace email
