// The SMTP client against a server that says anything: greeting, EHLO, STARTTLS, AUTH, then one
// mail transaction (MAIL, RCPT, BDAT or DATA) of a small message.
#include <cstring>

#include "loopback_peer.h"
#include "smtp/smtp_client.h"

namespace {
class TextSource final : public email::MessageSource {
 public:
   explicit TextSource(std::string text) : text_(std::move(text)) {}
   std::size_t read(char *buffer, std::size_t size) override {
      const std::size_t n = std::min(size, text_.size() - at_);
      std::memcpy(buffer, text_.data() + at_, n);
      at_ += n;
      return n;
   }

 private:
   std::string text_;
   std::size_t at_ = 0;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   static fuzz::LoopbackPeer peer;
   const email::HostServices host(fuzz::quiet_host());
   peer.serve(fuzz::text_of(data, size));
   {
      email::ServerEndpoint endpoint{"127.0.0.1", peer.port(), email::TlsPolicy::starttls_if_offered,
                                     false,       {},          std::chrono::milliseconds(2000),
                                     {}};
      email::CallContext context(host, endpoint.timeout, endpoint.label());
      try {
         auto client = email::SmtpClient::open(endpoint, "alice", email::SecretString("correct horse"),
                                               email::SecretKind::password, context);
         const std::string message = "From: a@example.com\r\nTo: b@example.com\r\n\r\n.hello\r\n";
         email::Submission submission;
         submission.from = "a@example.com";
         submission.recipients = {"b@example.com", "c@example.com"};
         submission.size = message.size();
         TextSource source(message);
         (void)client->send(submission, source, context);
      } catch (const email::Failure &) {}
   }
   peer.finish();
   return 0;
}
