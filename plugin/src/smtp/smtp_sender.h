// SmtpSender: an email_server session's MessageSender (session/message_sender.h). It keeps the
// SMTP connection Connect signed in with and sends over it; a connection the server has dropped
// meanwhile (submission servers end idle sessions after a few minutes) is opened again, and the
// message sent once more, only when none of the message had gone out: a message is never sent
// twice.
#pragma once

#include <functional>
#include <memory>

#include "session/message_sender.h"
#include "smtp/smtp_client.h"

namespace email {

class SmtpSender final : public MessageSender {
 public:
   // Opens a new SMTP connection signed in like the first (owns the secrets it needs).
   using Opener = std::function<std::unique_ptr<SmtpClient>(CallContext &context)>;

   SmtpSender(std::unique_ptr<SmtpClient> client, Opener reopen);
   ~SmtpSender() override;

   const char *protocol() const override { return "SMTP"; }
   ConnectionFacts facts() const override;
   SubmissionResult send(const Submission &submission, MessageSource &message, CallContext &context) override;
   void close(CallContext &context) override;

 private:
   std::unique_ptr<SmtpClient> client_;
   Opener reopen_;
   ConnectionFacts last_facts_;  // what facts() shows while no connection is open
};

}  // namespace email
