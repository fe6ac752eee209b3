// The SASL exchange, shared by IMAP, POP3 and SMTP (curl's SASLproto idea): the protocol supplies how
// to start, answer and abort; this file runs the conversation.
#pragma once

#include <string>

#include "sasl/sasl_mechanism.h"
#include "util/secret.h"

namespace email {

// One server reply during authentication.
struct SaslServerReply {
   enum class Kind { challenge, success, failure } kind;
   std::string payload;  // base64 challenge text, or the server's human text for success/failure
};

// What IMAP, POP3 and SMTP each provide. Implementations log the command with secrets redacted.
class SaslCarrier {
 public:
   virtual ~SaslCarrier() = default;
   // Sends "AUTHENTICATE <mech> [<ir>]" / "AUTH <mech> [<ir>]" (see sasl_command_line).
   // `initial_response_base64` is null when the mechanism has none or the carrier cannot send
   // it (then an empty challenge follows).
   virtual void send_start(const char *mechanism, const SecretString *initial_response_base64) = 0;
   // Whether an initial response of this many base64 bytes may go in the first command.
   virtual bool can_send_initial_response(std::size_t base64_size) const = 0;
   virtual SaslServerReply read_reply() = 0;

   // IMAP (RFC 9051 6.2.2), POP3 (RFC 5034 4) and SMTP (RFC 4954 4) answer a challenge alike:
   // the base64 response, or "*" to abort, alone on a line.
   void send_response(const SecretString &base64);
   void send_abort() { write_line("*\r\n", "*"); }

 protected:
   // Writes one CRLF-terminated line; `trace` is what the protocol log may show of it.
   virtual void write_line(std::string_view line, std::string_view trace) = 0;
};

// "<verb> <mechanism>[ <initial response>]\r\n" in a wiping buffer; an empty initial response
// is sent as "=" (RFC 4959, RFC 5034). `verb` is e.g. "A1 AUTHENTICATE" or "AUTH".
SecretString sasl_command_line(std::string_view verb, const char *mechanism,
                               const SecretString *initial_response_base64);

struct SaslOutcome {
   bool success = false;
   std::string server_text;  // the final reply's text
};

// Runs `mechanism` over `carrier` to the end. Throws Failure(protocol_error) on undecodable
// challenges after aborting the exchange.
SaslOutcome run_sasl(SaslCarrier &carrier, SaslMechanism &mechanism);

// The message for a server that refused an OAuth2 access token: who, how, what the server said
// (its final reply and the JSON error it sent as a challenge), and what to do about it (the
// permission `protocol`, "IMAP", "POP3" or "SMTP", needs).
std::string oauth2_rejection(const std::string &server, const char *protocol, const char *mechanism,
                             std::string_view username, const std::string &server_said,
                             const std::string &server_error);

}  // namespace email
