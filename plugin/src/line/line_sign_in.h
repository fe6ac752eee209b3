// LineSignIn: what IMAP, POP3 and SMTP share, written once (curl's pingpong.c + curl_sasl.c,
// MailKit's MailService): the sign-in sequence over a LineConnection (line/line_connection.h: the
// transport, the traces and their redaction, pipelining)
//
//   greeting -> capabilities -> STARTTLS/STLS per the TLS policy (capabilities forgotten after
//   it) -> over TLS with a password, the protocol's sign-in that needs no capabilities, when it has
//   one -> capabilities -> OAuth2 SASL (OAUTHBEARER or XOAUTH2) or the protocol's password sign-in
//   -> one log line
//
// A protocol subclass supplies the steps that differ (its greeting, capability list, STARTTLS
// command, SASL carrier and password sign-in) and its commands after sign-in. Mechanism choice
// lives in sasl/mechanism_choice.h. The mail clients (IMAP, POP3) add the MailClient interface
// (line/line_client.h); the SMTP client (smtp/smtp_client.h) sends.
//
// Secrets: while sign_in() runs, the secret is redacted from every trace of what the server sent
// (a server may echo it); what the client sends is traced from the caller's `trace` text, which
// never holds a secret.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "line/line_connection.h"
#include "sasl/sasl_exchange.h"
#include "session/mail_client.h"  // ConnectionFacts, SecretKind
#include "util/failure.h"
#include "util/secret.h"

namespace email {

// What a Connect asks of the protocol beyond where to connect and who signs in.
struct LineOptions {
   // IMAP ID (RFC 2971): the fields the client identifies itself with when the server offers ID;
   // empty sends nothing (imap_id: false).
   std::vector<std::pair<std::string, std::string>> imap_id;
   // The mailbox to open when it is not the signing-in user's own (Connect's `mailbox`): the SASL
   // PLAIN authorization identity (RFC 4616) with a password, the user of OAUTHBEARER / XOAUTH2
   // with OAuth2 (Exchange Online's rule for shared mailboxes). Empty: the user's own.
   std::string mailbox;
};

class LineSignIn : protected LineConnection {
 public:
   // What the connection and its sign-in came to (host, port, TLS, login method, counts).
   ConnectionFacts connection_facts() const;
   using LineConnection::protocol;  // "IMAP", "POP3", "SMTP"
   using LineConnection::server;    // "host:port", for messages

   // Base of a protocol's SASL carrier (sasl/sasl_exchange.h) over this connection: its lines go
   // through send_line, traced with secrets replaced by the carrier's trace text.
   class Carrier : public SaslCarrier {
    public:
      Carrier(LineSignIn &client, CallContext &context) : context_(context), client_(client) {}

    protected:
      void write_line(std::string_view line, std::string_view trace) override {
         client_.send_line(line, context_, trace);
      }
      CallContext &context_;

    private:
      LineSignIn &client_;
   };

 protected:
   // Connects to `endpoint` (line/line_connection.h). `protocol`: "IMAP", "POP3", "SMTP".
   LineSignIn(const char *protocol, const ServerEndpoint &endpoint, CallContext &context)
       : LineConnection(protocol, endpoint, context) {}
   virtual ~LineSignIn() = default;

   // Runs the whole sign-in sequence. Throws Failure.
   void sign_in(std::string_view username, const SecretString &secret, SecretKind kind, CallContext &context);

   // --- the steps each protocol supplies
   // Reads and checks the greeting; may set `authenticated_` (IMAP PREAUTH).
   virtual void read_greeting(const ServerEndpoint &endpoint, CallContext &context) = 0;
   // Whether the capabilities are known (IMAP may have them from the greeting).
   virtual bool knows_capabilities() const = 0;
   virtual void request_capabilities(CallContext &context) = 0;
   virtual void forget_capabilities() = 0;
   // The upgrade command ("STARTTLS", "STLS") and whether the capabilities offer it.
   virtual const char *starttls_command() const = 0;
   virtual bool offers_starttls() const = 0;
   // Sends the upgrade command and checks the go-ahead; throws tls_failed when refused.
   virtual void request_starttls(CallContext &context) = 0;
   // Whether the capabilities offer SASL `mechanism`.
   virtual bool offers_sasl(std::string_view mechanism) const = 0;
   // The protocol's carrier for one SASL exchange, and its verb for login_method ("AUTH").
   virtual std::unique_ptr<SaslCarrier> sasl_carrier(CallContext &context) = 0;
   virtual const char *sasl_verb() const = 0;
   // After a successful SASL exchange (IMAP reads the post-login capabilities).
   virtual void after_sasl_success(SaslCarrier &, CallContext &) {}
   // Over TLS, before the capabilities are known: signs in with a password at once when the
   // protocol can (POP3 AUTH PLAIN with an initial response; IMAP AUTHENTICATE PLAIN when the
   // pre-TLS capabilities suggest it). Returns false, having sent nothing the server took, when the
   // usual path (capabilities first) must follow; throws authentication_failed when the server
   // refused the credentials themselves.
   virtual bool sign_in_before_capabilities(std::string_view, const SecretString &, CallContext &) {
      return false;
   }
   // Signs in with a password; sets login_method_. Throws authentication_failed when refused.
   virtual void sign_in_with_password(std::string_view username, const SecretString &password,
                                      CallContext &context) = 0;
   // Just before the first sign-in command goes out, over TLS when there is TLS (IMAP queues its
   // ID command there, to travel in the same write: no round trip of its own).
   virtual void before_sign_in(CallContext &) {}

   // Runs `mechanism` over the protocol's carrier; false with the server's words on refusal.
   SaslOutcome run_sasl_exchange(SaslMechanism &mechanism, CallContext &context);

   // authentication_failed: "the server rejected the username or password (server said: ...)",
   // or with another mailbox, that the user may not open it. `said` must already have the username
   // and password redacted.
   Failure password_refused(const std::string &said) const;
   // unsupported: with another mailbox and a password, the server offers no SASL PLAIN to name it.
   [[noreturn]] void fail_no_plain_for_mailbox() const;

   bool authenticated_ = false;
   std::string login_method_;
   LineOptions options_;

 private:
   void sign_in_with_oauth2(std::string_view username, const SecretString &token, CallContext &context);
};

}  // namespace email
