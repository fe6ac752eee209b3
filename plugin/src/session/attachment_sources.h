// Attachments made of bytes the bot holds (email.send/2, rpa/ext/email_send.h): every byte source
// the caller gave is named by exactly one attachment ({"source": i}), and read once, to its end,
// in chunks of 64 KiB, into a file of its own in `directory`, whose path that attachment then
// carries; the composer streams it from there like any attached file. All of it happens before
// anything is composed or sent, so a source that fails costs nothing but the call.
#pragma once

#include <cstddef>
#include <vector>

#include "mime/outgoing_message.h"
#include "net/call_context.h"
#include "rpa/byte_source.h"
#include "util/files.h"

namespace email {

// Throws Failure: invalid_properties naming the attachment whose index names no source, a source
// named twice, or one that is not usable (rpa_byte_source_is_usable), and naming a source no
// attachment names; cancelled when a source's read says it failed; internal when its file cannot
// be written; timeout or cancelled from `context` between chunks.
void take_attachment_sources(std::vector<OutgoingAttachment> &attachments,
                             const rpa_byte_source *const *sources, std::size_t source_count,
                             const PrivateDirectory &directory, const CallContext &context);

}  // namespace email
