// SmtpClient: message submission (RFC 6409) over the sign-in sequence IMAP and POP3 use
// (line/line_sign_in.h), with SMTP's own steps:
//
//   220 greeting -> EHLO (HELO when EHLO is refused) -> STARTTLS per the TLS policy (RFC 3207) ->
//   EHLO again -> AUTH (RFC 4954: OAUTHBEARER or XOAUTH2 with a token; PLAIN, else LOGIN with a
//   password) -> ready to send
//
// A server that offers no AUTH at all is a relay that takes mail without signing in (a company's
// internal relay on port 25): nothing is sent for the password, the session says so in its
// login method, and the server decides at MAIL FROM (530 / 5.7.57 then says what to do).
//
// send() is one mail transaction: MAIL FROM and every RCPT TO in one write when the server offers
// PIPELINING (RFC 2920), their replies read together; then the message as BDAT (RFC 3030, when
// offered: sent as it is, no dot-stuffing) or DATA, streamed from its source. A message larger
// than the server's SIZE is refused before anything is sent; recipients the server refuses are
// named with its reason while the rest receive it; when every recipient is refused, nothing is
// sent and send() throws.
//
// Not thread-safe: one transaction at a time (the session serialises calls).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "line/line_sign_in.h"
#include "session/message_sender.h"
#include "smtp/smtp_reply.h"

namespace email {

class SmtpClient final : public LineSignIn {
 public:
   // Connects to `endpoint` and signs in. `kind`: password or OAuth2 token. Throws Failure.
   static std::unique_ptr<SmtpClient> open(const ServerEndpoint &endpoint, std::string_view username,
                                           const SecretString &secret, SecretKind kind, CallContext &context);
   ~SmtpClient() override;

   const smtp::Extensions &extensions() const { return extensions_; }
   // Whether the sign-in was skipped because the server offers no AUTH.
   bool signed_in() const { return signed_in_; }

   // One mail transaction (see the header comment). Throws Failure: invalid_properties for an
   // address that cannot go into an envelope or a message over the server's SIZE (nothing sent);
   // authentication_failed when the server wants a signed-in client or refuses the sender; the
   // server's refusal of the message with its words; timeout, cancelled, connection_failed.
   SubmissionResult send(const Submission &submission, MessageSource &message, CallContext &context);

   // NOOP: whether the connection is still good. Throws Failure when it is not.
   void noop(CallContext &context);
   // QUIT, best effort.
   void quit(CallContext &context);
   // Whether the last send() wrote any of the message itself (then it must not be repeated).
   bool message_started() const { return message_started_; }

 private:
   SmtpClient(const ServerEndpoint &endpoint, CallContext &context);
   friend class SmtpSaslCarrier;

   smtp::Reply read_reply(CallContext &context, const char *waiting_for);
   smtp::Reply command(std::string_view line, CallContext &context, const char *waiting_for);
   // "the server said: 550 5.1.1 ..." with a provider's advice where it has one.
   std::string describe(const smtp::Reply &reply) const;
   void send_message_bytes(MessageSource &message, std::uint64_t size, SubmissionResult &result,
                           CallContext &context);
   // After a failed transaction: RSET, so the connection can take the next one.
   void reset(CallContext &context) noexcept;

   // LineSignIn's steps
   void read_greeting(const ServerEndpoint &endpoint, CallContext &context) override;
   bool knows_capabilities() const override { return capabilities_known_; }
   void request_capabilities(CallContext &context) override;
   void forget_capabilities() override;
   const char *starttls_command() const override { return "STARTTLS"; }
   bool offers_starttls() const override { return extensions_.starttls; }
   void request_starttls(CallContext &context) override;
   bool offers_sasl(std::string_view mechanism) const override { return extensions_.offers_auth(mechanism); }
   std::unique_ptr<SaslCarrier> sasl_carrier(CallContext &context) override;
   const char *sasl_verb() const override { return "AUTH"; }
   void sign_in_with_password(std::string_view username, const SecretString &password,
                              CallContext &context) override;

   smtp::Extensions extensions_;
   bool capabilities_known_ = false;
   bool signed_in_ = true;
   bool message_started_ = false;
   std::string client_name_;  // what EHLO says: this end's address literal
   smtp::Reply last_reply_;   // the last reply of a SASL exchange
};

}  // namespace email
