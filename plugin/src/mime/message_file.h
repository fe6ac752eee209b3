// MessageFile: one raw message spooled to an unnamed temporary file and parsed there by GMime,
// so attachments and bodies of any size are read in bounded memory (GMime keeps each part as a
// window on the file, not a copy). The file disappears when the object does.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <gmime/gmime.h>

#include "mailbox/mailbox.h"
#include "mime/gmime_runtime.h"

namespace email::mime {

// A part the HTML shows through cid: (no attachment by the rule, a Content-ID of its own).
struct InlinePart {
   std::string content_id;  // without <>
   std::string name;        // its file name, "" when none
   std::string content_type;
};

class MessageFile {
 public:
   // Calls `fetch` with a sink that appends to the file, then parses it. Throws Failure
   // (internal: no temporary file; protocol_error: not a message).
   explicit MessageFile(const std::function<void(const ByteSink &sink)> &fetch);
   ~MessageFile();
   MessageFile(const MessageFile &) = delete;
   MessageFile &operator=(const MessageFile &) = delete;

   // The attachments by the rule of mime/attachment_rule.h, sizes decoded-estimated.
   std::vector<AttachmentInfo> attachments() const;
   // Decodes attachment `index` to `sink`; returns it with the decoded size. Throws
   // message_not_found when there is no such attachment.
   AttachmentInfo write_attachment(unsigned index, const ByteSink &sink) const;
   // The message without the attachments `indexes` (as attachments() numbers them), written with
   // CRLF line ends: what is left to send in one request when the large attachments go another
   // way (Graph's upload sessions, graph/graph_sender.h). The parts leave this object's tree, so
   // attachment indexes change after: decode what is needed first.
   std::string without_attachments(const std::vector<unsigned> &indexes);
   // The inline parts, in order; write_inline_part decodes one of them (by its place in that
   // list) to `sink` (message_not_found when there is no such part).
   std::vector<InlinePart> inline_parts() const;
   void write_inline_part(unsigned index, const ByteSink &sink) const;
   // The first plain-text and HTML bodies that are not attachments, in UTF-8.
   std::optional<std::string> text_body() const { return body("plain"); }
   std::optional<std::string> html_body() const { return body("html"); }
   GMimeMessage *message() const { return message_.get(); }
   std::uint64_t size() const { return size_; }

 private:
   std::optional<std::string> body(const char *subtype) const;

   std::FILE *file_ = nullptr;
   std::uint64_t size_ = 0;
   GObjectPtr<GMimeStream> stream_;
   GObjectPtr<GMimeMessage> message_;
};

}  // namespace email::mime
