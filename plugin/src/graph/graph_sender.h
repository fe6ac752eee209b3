// GraphSender: a microsoft365 session's MessageSender (session/message_sender.h), through Microsoft
// Graph on the session's own GraphClient (its token, proxy and mailbox), as
// learn.microsoft.com/graph/outlook-send-mime-message describes.
//
// The message goes as MIME, base64 in a text/plain body, with its blind copies in a Bcc field
// (Graph reads the recipients from the message's To, Cc and Bcc; Exchange leaves Bcc out of what
// it delivers). Graph takes at most 4 MB in one request, so:
//   - a message of at most kWholeMessageBytes: one POST of `sendMail` (202 Accepted);
//   - a larger one: its largest attachments are taken out (mime/message_file.h, each decoded
//     into a temporary file) until the rest fits; the rest becomes a draft (POST `messages`, MIME),
//     each attachment is added to it, under 3 MB as a fileAttachment (POST `attachments`), from
//     3 MB through an upload session (`attachments/createUploadSession`, then PUTs of at most
//     kUploadChunkBytes to its pre-authenticated uploadUrl, which gets no token), and the draft
//     is sent (POST `messages/{id}/send`). A failure on the way deletes the draft (best effort).
// Either way Exchange keeps a copy in Sent Items (SentCopy::always_kept) and reports refusals
// later, as non-delivery reports: every recipient counts as accepted here.
// 403 names the permission Mail.Send (its .Shared form for another mailbox, the application
// permission for app-only); ErrorSendAsDenied says the mailbox may not send as `from`.
#pragma once

#include "session/message_sender.h"

namespace email {

class GraphClient;

class GraphSender final : public MessageSender {
 public:
   static constexpr std::uint64_t kWholeMessageBytes = 2900 * 1024;         // base64: under 4 MB
   static constexpr std::uint64_t kSmallAttachmentBytes = 3 * 1000 * 1000;  // "under 3 MB": POST
   static constexpr std::size_t kUploadChunkBytes = 10 * 320 * 1024;        // 3.125 MiB, under 4 MB

   explicit GraphSender(GraphClient &client) : client_(client) {}

   const char *protocol() const override { return "Graph"; }
   SentCopy sent_copy() const override { return SentCopy::always_kept; }
   ConnectionFacts facts() const override;
   SubmissionResult send(const Submission &submission, MessageSource &message, CallContext &context) override;
   void close(CallContext &) override {}

 private:
   // The large path: a draft, its attachments, then send. Returns the requests made.
   unsigned send_in_parts(const std::string &bcc_field, MessageSource &message, CallContext &context);

   GraphClient &client_;
};

}  // namespace email
