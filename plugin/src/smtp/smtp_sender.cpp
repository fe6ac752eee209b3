#include "smtp/smtp_sender.h"

#include "util/failure.h"

namespace email {

SmtpSender::SmtpSender(std::unique_ptr<SmtpClient> client, Opener reopen)
    : client_(std::move(client)), reopen_(std::move(reopen)) {
   if (client_) last_facts_ = client_->connection_facts();
}

SmtpSender::~SmtpSender() = default;

ConnectionFacts SmtpSender::facts() const { return client_ ? client_->connection_facts() : last_facts_; }

SubmissionResult SmtpSender::send(const Submission &submission, MessageSource &message,
                                  CallContext &context) {
   if (!client_) client_ = reopen_(context);
   try {
      SubmissionResult result = client_->send(submission, message, context);
      last_facts_ = client_->connection_facts();
      return result;
   } catch (const Failure &failure) {
      const bool lost = failure.status() == RPA_CONNECTION_FAILED || failure.status() == RPA_TIMEOUT ||
                        failure.status() == RPA_CANCELLED || failure.status() == RPA_INTERNAL;
      if (!lost) throw;  // a refusal: the connection stays good (the client reset the transaction)
      const bool started = client_->message_started();
      last_facts_ = client_->connection_facts();
      client_.reset();  // in an unknown state: the next send opens a new one
      if (started || failure.status() != RPA_CONNECTION_FAILED) throw;
      context.host().info(std::string("SMTP: the connection was lost before the message went out (") +
                          failure.what() + "); connecting again");
   }
   client_ = reopen_(context);
   SubmissionResult result = client_->send(submission, message, context);
   last_facts_ = client_->connection_facts();
   return result;
}

void SmtpSender::close(CallContext &context) {
   if (client_) client_->quit(context);
   client_.reset();
   reopen_ = nullptr;  // wipes the secrets kept for reconnecting
}

}  // namespace email
