// The bytes of a message to send, made ready for the wire (mime/message_composer.h): the private
// temporary file (spool) they are written to, and a raw message's line ends made CRLF with its Bcc
// field left out. Implemented in mime/message_spool.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "mime/message_composer.h"

namespace email {

// A new spool. Throws Failure(internal) when no temporary file can be made.
std::unique_ptr<std::FILE, SpoolCloser> new_spool();

// The size of what was written to `file`, and the file back at its start. Throws Failure(internal).
std::uint64_t rewind_spool(std::FILE *file);

// Sets `composed`'s bytes (file, or head, body and tail), size and eightbit from the raw message
// `data`: every line end made CRLF, the Bcc field and its folded lines left out of the header.
// When the body's line ends are all CRLF already, the body is not copied (`composed.body` views
// `data`); otherwise the message is written to a spool in chunks of 64 KiB.
void prepare_raw_bytes(std::string_view data, ComposedMessage &composed);

}  // namespace email
