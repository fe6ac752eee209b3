// The RFC 822 message of an Outlook item. Outlook keeps no raw MIME: what a received item keeps
// is its transport headers (PR_TRANSPORT_MESSAGE_HEADERS), its bodies and its attachments. The
// message is built from those with GMime, so fetch_raw, fetch_attachment and fetch_bodies read an
// Outlook item as they read any other backend's message:
//
//   headers   the transport headers as received, without their MIME fields (Content-*,
//             MIME-Version), which describe a structure Outlook did not keep; an item with none
//             (sent, drafts) gets From, To, Cc, Subject, Date and Message-ID from its properties
//   bodies    text/plain and text/html (multipart/alternative when both), UTF-8
//   parts     each attachment from the file Attachment.SaveAsFile wrote, base64, named by RFC 2231;
//             an attachment with a content id (an image the HTML shows) inline, in
//             multipart/related with the HTML
//
// Attachments are streamed from their files into a private temporary file and the message from
// there to the sink: no attachment is ever whole in memory. Platform-neutral (tested on Linux).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mailbox/mailbox.h"

namespace email {

struct OutlookAttachment {
   std::string file;          // the bytes, as Attachment.SaveAsFile wrote them (UTF-8 path)
   std::string name;          // Attachment.FileName, UTF-8
   std::string content_type;  // PR_ATTACH_MIME_TAG; "" = application/octet-stream
   std::string content_id;    // PR_ATTACH_CONTENT_ID; "" = not shown by the HTML
};

struct OutlookItemContent {
   std::string transport_headers;  // PR_TRANSPORT_MESSAGE_HEADERS; "" when the item has none
   // What an item without transport headers is given instead:
   std::optional<MailAddress> from;
   std::vector<MailAddress> to, cc;
   std::string subject;
   std::optional<std::int64_t> date;  // seconds since 1970 (UTC): SentOn, else ReceivedTime
   std::string message_id;            // PR_INTERNET_MESSAGE_ID, with or without <>
   // The bodies and the parts.
   std::optional<std::string> text, html;
   std::vector<OutlookAttachment> attachments;
};

// Writes the message to `sink`. Throws Failure: internal (a saved attachment or the temporary
// file cannot be read or written), or what the sink throws.
void write_outlook_message(const OutlookItemContent &item, const ByteSink &sink);

// The fields of `transport_headers` without Content-* and MIME-Version, each with its folded
// lines, every line ending in CRLF. Lines that start no field and continue none are left out.
std::string outlook_header_block(const std::string &transport_headers);

}  // namespace email
