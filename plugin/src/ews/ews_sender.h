// EwsSender: an ews session's MessageSender (session/message_sender.h), through Exchange Web
// Services on the session's own EwsClient (its sign-in, proxy, impersonation or delegate mailbox).
//
// The message goes whole, as MIME (ews/ews_send_requests.h), in one request:
//   - CreateItem SendAndSaveCopy with the copy in Sent Items when a copy is asked for
//     (SentCopy::kept_if_asked: Exchange files it, the session appends nothing), else SendOnly;
//   - on another user's or a shared mailbox opened by delegate access without a copy, two, as
//     Microsoft's CreateItem reference says (SendOnly cannot name the mailbox): CreateItem SaveOnly
//     of an unsent draft in that mailbox's Drafts, then SendItem without a copy (a failed SendItem
//     deletes the draft, best effort).
// Blind copies go as BccRecipients. Exchange reports undeliverable recipients later, in
// non-delivery reports: every recipient counts as accepted here. Refusals are explained
// (session/exchange_refusals.h: send-as, size, recipients); other errors are EwsClient's.
// The request is built in memory (base64 MIME in SOAP, about 1.4 times the message).
#pragma once

#include "session/message_sender.h"

namespace email {

class EwsClient;
namespace ews {
struct Response;
}

class EwsSender final : public MessageSender {
 public:
   explicit EwsSender(EwsClient &client) : client_(client) {}

   const char *protocol() const override { return "EWS"; }
   SentCopy sent_copy() const override { return SentCopy::kept_if_asked; }
   ConnectionFacts facts() const override;
   SubmissionResult send(const Submission &submission, MessageSource &message, CallContext &context) override;
   void close(CallContext &) override {}

 private:
   // Throws for an error response message: a sending refusal explained, else EwsClient::fail.
   void check(const ews::Response &response, const char *operation) const;
   // The delegate path: a draft in the other mailbox, then SendItem. Returns the requests made.
   unsigned send_draft(const std::string &mime, const std::vector<std::string> &bcc, CallContext &context);

   EwsClient &client_;
};

}  // namespace email
