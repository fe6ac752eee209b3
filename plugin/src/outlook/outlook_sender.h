// OutlookSender: an outlook session's MessageSender (session/message_sender.h), through Outlook
// itself: the composed message is taken apart into a new MailItem's properties
// (outlook/outlook_new_item.h; Outlook takes no MIME from a program) and sent with MailItem.Send
// (outlook/outlook_compose.h) on the session's STA thread. Outlook sends it from its Outbox with
// the profile's default account, through whatever server that account uses; a `from` other than
// the signed-in user's address goes as SentOnBehalfOfName (the mailbox's Exchange decides whether
// Send As or Send on Behalf allows it, and answers a refusal with a non-delivery report).
// Outlook files the copy in Sent Items unless none is wanted (DeleteAfterSubmit): SentCopy::
// kept_if_asked. Every recipient counts as accepted: Outlook reports refusals later, by mail.
// Outlook assigns its own Message-ID where its store will not take the composed one. Windows only.
#pragma once

#include "outlook/outlook_session.h"
#include "session/message_sender.h"

namespace email {

// What a session knows of its Outlook connection (for Connect's result and the sender's).
ConnectionFacts outlook_connection_facts(const OutlookSession &session);

class OutlookSender final : public MessageSender {
 public:
   explicit OutlookSender(OutlookSession &session) : session_(session) {}

   const char *protocol() const override { return "Outlook"; }
   SentCopy sent_copy() const override { return SentCopy::kept_if_asked; }
   ConnectionFacts facts() const override { return outlook_connection_facts(session_); }
   SubmissionResult send(const Submission &submission, MessageSource &message, CallContext &context) override;
   void close(CallContext &) override {}

 private:
   OutlookSession &session_;
};

}  // namespace email
