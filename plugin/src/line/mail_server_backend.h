// MailServerBackend: the backend of an email_server target (IMAP or POP3; backend/backend.h).
// It opens the target's endpoint with its options, signed in with the password or with an OAuth2
// access token (Google's mail scope, or Exchange Online's IMAP / POP scope), the token refreshed
// once when the server refuses it (oauth/token_refresh.h). The protocol's opener is the only part
// that differs: imap/imap_backend.cpp and pop3/pop3_backend.cpp each make one. With smtp_host, the
// session also sends over SMTP (smtp/smtp_backend.h), signed in with the same credentials: the
// OAuth2 token's scope then includes SMTP.Send.
#pragma once

#include <memory>
#include <string>

#include "backend/backend.h"
#include "line/line_client.h"

namespace email {

// What differs between IMAP and POP3 here.
struct LineProtocol {
   MailProtocol protocol;      // the target's `protocol` this serves
   const char *name;           // "IMAP": for messages and the log
   const char *oauth_service;  // Exchange Online's scope name: "IMAP", "POP"
   // Connects and signs in (ImapClient::open, Pop3Client::open) with what it is given.
   std::unique_ptr<MailClient> (*open)(const ServerEndpoint &endpoint, const std::string &username,
                                       const SecretString &secret, SecretKind kind, LineOptions options,
                                       CallContext &context);
};

// LineProtocol::open for a client with OpenableLineClient's `open` (ImapClient, Pop3Client).
template <typename Client>
std::unique_ptr<MailClient> open_line_client(const ServerEndpoint &endpoint, const std::string &username,
                                             const SecretString &secret, SecretKind kind, LineOptions options,
                                             CallContext &context) {
   return Client::open(endpoint, username, secret, context, kind, std::move(options));
}

class MailServerBackend final : public Backend {
 public:
   explicit MailServerBackend(const LineProtocol &protocol) : protocol_(protocol) {}
   const char *protocol() const override { return protocol_.name; }
   bool serves(const ConnectRequest &request) const override;
   std::string server_label(const ConnectRequest &request) const override;
   OpenedMailbox open(const ConnectRequest &request, CallContext &context) const override;
   OAuthSettings oauth_settings(const ConnectRequest &request, CallContext &context) const override;
   bool reconnects() const override { return true; }

 private:
   const LineProtocol protocol_;
};

}  // namespace email
