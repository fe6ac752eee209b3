// ImapClient: an IMAP4rev1/IMAP4rev2 session (RFC 3501, RFC 9051) from greeting to LOGOUT.
//
// open() connects, secures and authenticates in the fewest round trips the server allows:
// capabilities from the greeting's response code, STARTTLS when required or offered (pre-TLS
// capabilities discarded, plaintext injected after the go-ahead refused), AUTHENTICATE PLAIN
// with an initial response when SASL-IR is offered, post-login capabilities from the tagged OK,
// and LOGIN (quoted, or as literals) only when PLAIN is absent. LOGINDISABLED means no password
// is sent at all.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "imap/imap_response.h"
#include "sasl/sasl_mechanism.h"
#include "session/mail_client.h"
#include "util/secret.h"

namespace email {

class ImapClient final : public MailClient {
 public:
   static std::unique_ptr<ImapClient> open(const ServerEndpoint &endpoint,
                                           std::string_view username,
                                           const SecretString &password, CallContext &context,
                                           SecretKind kind = SecretKind::password);

   const char *protocol() const override { return "IMAP"; }
   const std::vector<std::string> &capabilities() const override { return capabilities_; }
   ConnectionFacts facts() const override {
      return {transport_->host(), transport_->port(), transport_->tls_version(), "", login_method_,
              transport_->stats()};
   }
   void noop(CallContext &context) override;
   std::vector<Folder> list_folders(CallContext &context) override;
   void logout(CallContext &context) override;

   bool has_capability(std::string_view name) const;

 private:
   friend class ImapSaslCarrier;
   explicit ImapClient(std::unique_ptr<Transport> transport, std::string server);

   std::string next_tag();
   void send_line(std::string_view line, CallContext &context, std::string_view trace);
   imap::Response read_response(CallContext &context);
   // Sends `command` (without tag) and reads to its tagged response; untagged responses go to
   // `on_untagged`. Throws on BYE. Returns the tagged response (OK, NO or BAD).
   template <typename OnUntagged>
   imap::Response run(std::string_view command, CallContext &context, OnUntagged on_untagged);
   imap::Response run(std::string_view command, CallContext &context);
   void take_untagged(const imap::Response &response);
   // Throws protocol_error once one command has drawn more than kMaxUntaggedResponses untagged
   // responses (`seen` counts them): every loop over the server's output has a cap.
   void count_untagged(std::size_t &seen) const;

   void read_greeting(const ServerEndpoint &endpoint, CallContext &context);
   void start_tls(const ServerEndpoint &endpoint, CallContext &context);
   void request_capabilities(CallContext &context);
   // The server's OAuth2 mechanism: OAUTHBEARER when offered, else XOAUTH2.
   std::unique_ptr<SaslMechanism> oauth2_mechanism(std::string_view username,
                                                   const SecretString &token) const;
   void authenticate(std::string_view username, const SecretString &password, SecretKind kind,
                     CallContext &context);
   imap::Response login(std::string_view username, const SecretString &password,
                        CallContext &context);
   [[noreturn]] void fail_authentication(const imap::Response &tagged, std::string_view username,
                                         const SecretString &password) const;

   std::unique_ptr<Transport> transport_;
   std::string server_;              // "host:port" for messages
   std::string_view trace_secret_;  // redacted from traces while open() runs
   std::vector<std::string> capabilities_;
   bool authenticated_ = false;
   std::string login_method_;
   unsigned tag_counter_ = 0;
};

}  // namespace email
