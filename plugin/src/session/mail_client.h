// MailClient: what every protocol engine (IMAP, POP3, EWS, Graph) offers the email session once
// it is connected and authenticated. Calls are not thread-safe; EmailSessionObject serializes
// them.
#pragma once

#include <string>
#include <vector>

#include "mailbox/mailbox.h"
#include "net/call_context.h"
#include "net/server_endpoint.h"
#include "net/transport.h"

namespace email {

// What the session shows about the connection (email_session.h `info`).
struct ConnectionFacts {
   std::string host;
   unsigned port = 0;
   std::string tls_version;     // "TLSv1.3", or "" in plain text
   std::string server_version;  // EWS: the server's ServerVersionInfo; IMAP/POP3: ""
   std::string login_method;  // "AUTHENTICATE PLAIN", "LOGIN", "AUTH OAUTHBEARER", "USER/PASS", "Bearer", ...
   TransportStats stats;
   bool tls_resumed = false;   // the TLS handshake resumed a kept session
   std::string tls_found_out;  // tls_mode auto: what the server turned out to speak, or ""
   std::string mailbox;  // Graph: the mailbox opened (the user's own, or `mailbox`); EWS: `mailbox`; else ""
   std::string server_id_json;  // IMAP: the server's ID (RFC 2971) as a JSON object, or ""
   // How the mailbox is reached when not over a connection of ours (Outlook: "through Outlook's
   // object model"; how Outlook reaches its server is its own affair), else "".
   std::string transport;
};

// How the secret given to a client's open() is used.
enum class SecretKind {
   password,      // PLAIN / LOGIN / USER-PASS
   oauth2_token,  // an OAuth2 access token: OAUTHBEARER (RFC 7628) or XOAUTH2
};

class MessageSender;  // session/message_sender.h

class MailClient {
 public:
   virtual ~MailClient() = default;
   virtual const char *protocol() const = 0;  // "IMAP", "POP3", "EWS", "Graph"
   virtual const std::vector<std::string> &capabilities() const = 0;
   virtual ConnectionFacts facts() const = 0;
   // Throws Failure when the server does not answer or closed the session.
   virtual void noop(CallContext &context) = 0;
   // Says goodbye (LOGOUT, QUIT). Best effort: failures are logged, not thrown.
   virtual void logout(CallContext &context) = 0;
   // The mailbox interface on this connection (owned by the client, lives as long as it).
   virtual Mailbox &mailbox() = 0;
   // The sender on this connection, when the service sends through it (EWS, Graph, Outlook); nullptr when
   // sending needs a server of its own (IMAP and POP3: SMTP, which the session then holds).
   virtual MessageSender *sender() { return nullptr; }
};

}  // namespace email
