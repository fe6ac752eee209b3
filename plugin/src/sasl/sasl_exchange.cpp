#include "sasl/sasl_exchange.h"

#include "util/secret.h"
#include "util/failure.h"

namespace email {

void SaslCarrier::send_response(const SecretString &base64) {
   SecretString line;
   line.reserve(base64.size() + 2);
   line.append(base64.view());
   line.append("\r\n");
   write_line(line.view(), "****");
}

SecretString sasl_command_line(std::string_view verb, const char *mechanism, const SecretString *initial) {
   SecretString line;
   line.reserve(verb.size() + 64 + (initial ? initial->size() : 0));
   line.append(verb);
   line.append(' ');
   line.append(mechanism);
   if (initial) {
      line.append(' ');
      line.append(initial->empty() ? std::string_view("=") : initial->view());
   }
   line.append("\r\n");
   return line;
}

std::string oauth2_rejection(const std::string &server, const char *protocol, const char *mechanism,
                             std::string_view username, const std::string &server_said,
                             const std::string &server_error) {
   const std::string_view name(protocol);
   const char *permission = name == "SMTP"   ? "SMTP.Send"
                            : name == "POP3" ? "POP.AccessAsUser.All"
                                             : "IMAP.AccessAsUser.All";
   return "authentication failed: " + server + " rejected the OAuth2 access token for \"" +
          std::string(username) + "\" over " + mechanism + " (server said: " + server_said +
          (server_error.empty() ? "" : "; error status " + server_error) +
          "). Check that username is the mailbox the token was issued for and that the app has "
          "the " +
          protocol + " permission (Microsoft's " + permission +
          ", or Gmail's https://mail.google.com/ scope)" +
          (name == "SMTP" ? "; Microsoft 365 also needs SMTP AUTH turned on for the mailbox" : "") + ".";
}

SaslOutcome run_sasl(SaslCarrier &carrier, SaslMechanism &mechanism) {
   std::optional<SecretString> initial = mechanism.initial_response();
   std::optional<SecretString> pending;  // the initial response, when it could not go first
   if (initial) {
      SecretString encoded = base64_encode(initial->view());
      if (carrier.can_send_initial_response(encoded.size())) {
         carrier.send_start(mechanism.name(), &encoded);
      } else {
         carrier.send_start(mechanism.name(), nullptr);
         pending = std::move(encoded);
      }
   } else {
      carrier.send_start(mechanism.name(), nullptr);
   }

   for (int step = 0; step < 16; ++step) {
      SaslServerReply reply = carrier.read_reply();
      if (reply.kind == SaslServerReply::Kind::success) return {true, reply.payload};
      if (reply.kind == SaslServerReply::Kind::failure) return {false, reply.payload};
      if (pending) {
         carrier.send_response(*pending);
         pending.reset();
         continue;
      }
      std::optional<SecretString> challenge = base64_decode(reply.payload);
      if (!challenge) {
         carrier.send_abort();
         carrier.read_reply();
         throw Failure(RPA_PROTOCOL_ERROR, "the server sent a challenge that is not base64");
      }
      SecretString answer;
      try {
         answer = base64_encode(mechanism.respond(challenge->view()).view());
      } catch (const Failure &) {
         carrier.send_abort();
         carrier.read_reply();
         throw;
      }
      carrier.send_response(answer);
   }
   throw Failure(RPA_PROTOCOL_ERROR, "the server kept sending SASL challenges");
}

}  // namespace email
