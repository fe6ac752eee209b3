// Pop3Client: a POP3 session (RFC 1939) from greeting to QUIT, on the shared line engine
// (line/line_client.h).
//
// Secures with implicit TLS, or STLS per RFC 2595 (the capabilities said before it forgotten).
// Over TLS with a password it sends AUTH PLAIN with an initial response (RFC 5034) at once,
// without asking CAPA first: one round trip after the greeting. Only when that draws an -ERR
// without the [AUTH] code (RFC 3206: the credentials were refused) does it ask CAPA and use what is
// offered: SASL PLAIN (not sent twice), else USER/PASS, else SASL LOGIN. A clear-text connection whose server offers no way to log in
// without TLS gets no password.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "line/line_client.h"
#include "pop3/pop3_response.h"

namespace email {

class Pop3Mailbox;

// Open with Pop3Client::open(endpoint, username, secret, context, kind) (OpenableLineClient).
class Pop3Client final : public OpenableLineClient<Pop3Client> {
 public:
   const std::vector<std::string> &capabilities() const override { return capabilities_.lines; }
   void noop(CallContext &context) override;
   // POP3 has one mailbox: returns a single "INBOX".
   void logout(CallContext &context) override;
   Mailbox &mailbox() override;  // pop3/pop3_mailbox.h
   ~Pop3Client() override;

   // --- what the mailbox (pop3/pop3_mailbox.h) sends its commands through
   // Sends one command line (no CRLF) and reads its status reply.
   pop3::Reply command(std::string_view line, CallContext &context);
   // The next line of a multi-line answer, unstuffed (RFC 1939 3); nullopt at its final ".".
   std::optional<std::string> read_multiline(CallContext &context, const char *waiting_for);
   // Whether commands may be pipelined (RFC 2449 PIPELINING); asks CAPA when the sign-in skipped it
   // and `worth_asking` (several commands to send).
   bool pipelining(bool worth_asking, CallContext &context);
   // Sends `lines` (each with CRLF, no secret) in one write; their replies are read with read_reply.
   void send_lines(std::string_view lines, CallContext &context);
   pop3::Reply read_reply(CallContext &context);

 private:
   friend class OpenableLineClient<Pop3Client>;
   friend class Pop3SaslCarrier;
   Pop3Client(const ServerEndpoint &endpoint, CallContext &context);

   // LineClient's steps
   void read_greeting(const ServerEndpoint &endpoint, CallContext &context) override;
   bool knows_capabilities() const override { return capabilities_known_; }
   void request_capabilities(CallContext &context) override;
   void forget_capabilities() override;
   const char *starttls_command() const override { return "STLS"; }
   bool offers_starttls() const override { return capabilities_.has("STLS"); }
   void request_starttls(CallContext &context) override;
   bool offers_sasl(std::string_view mechanism) const override {
      return capabilities_.offers_sasl(mechanism);
   }
   std::unique_ptr<SaslCarrier> sasl_carrier(CallContext &context) override;
   const char *sasl_verb() const override { return "AUTH"; }
   bool sign_in_before_capabilities(std::string_view username, const SecretString &password,
                                    CallContext &context) override;
   void sign_in_with_password(std::string_view username, const SecretString &password,
                              CallContext &context) override;

   void user_pass(std::string_view username, const SecretString &password, CallContext &context);
   [[noreturn]] void fail_authentication(const pop3::Reply &reply, std::string_view username,
                                         const SecretString &password) const;

   std::unique_ptr<Pop3Mailbox> mailbox_;
   pop3::Capabilities capabilities_;
   bool capabilities_known_ = false;
   bool capa_supported_ = true;
   pop3::Reply last_reply_;                    // the last reply in a SASL exchange
   std::optional<pop3::Reply> plain_refused_;  // the -ERR to an AUTH PLAIN sent before CAPA
};

}  // namespace email
