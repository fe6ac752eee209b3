// Pop3Client: a POP3 session (RFC 1939) from greeting to QUIT.
//
// open() connects, secures (implicit TLS, or STLS per RFC 2595 with the capability list asked
// again after the upgrade) and authenticates: SASL PLAIN with an initial response (RFC 5034)
// when offered, else USER/PASS, else SASL LOGIN. A clear-text connection whose server offers no
// way to log in without TLS gets no password.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/pop3_response.h"
#include "sasl/sasl_mechanism.h"
#include "session/mail_client.h"
#include "util/secret.h"

namespace email {

class Pop3Client final : public MailClient {
 public:
   static std::unique_ptr<Pop3Client> open(const ServerEndpoint &endpoint,
                                           std::string_view username,
                                           const SecretString &password, CallContext &context,
                                           SecretKind kind = SecretKind::password);

   const char *protocol() const override { return "POP3"; }
   const std::vector<std::string> &capabilities() const override { return capabilities_.lines; }
   ConnectionFacts facts() const override {
      return {transport_->host(), transport_->port(), transport_->tls_version(), "", login_method_,
              transport_->stats()};
   }
   void noop(CallContext &context) override;
   // POP3 has one mailbox: returns a single "INBOX".
   std::vector<Folder> list_folders(CallContext &context) override;
   void logout(CallContext &context) override;

 private:
   friend class Pop3SaslCarrier;
   Pop3Client(std::unique_ptr<Transport> transport, std::string server);

   void send_line(std::string_view line, CallContext &context, std::string_view trace);
   pop3::Reply read_reply(CallContext &context);
   pop3::Reply command(std::string_view line, CallContext &context);
   void request_capabilities(CallContext &context);
   // The server's OAuth2 mechanism: OAUTHBEARER when offered, else XOAUTH2.
   std::unique_ptr<SaslMechanism> oauth2_mechanism(std::string_view username,
                                                   const SecretString &token) const;
   void authenticate(std::string_view username, const SecretString &password, SecretKind kind,
                     CallContext &context);
   [[noreturn]] void fail_authentication(const pop3::Reply &reply, std::string_view username,
                                         const SecretString &password) const;

   std::unique_ptr<Transport> transport_;
   std::string server_;
   std::string login_method_;
   std::string_view trace_secret_;  // redacted from traces while open() runs
   pop3::Capabilities capabilities_;
   bool capa_supported_ = true;
};

}  // namespace email
