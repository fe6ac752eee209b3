#include "line/line_sign_in.h"

#include "line/provider_rules.h"

#include "sasl/mechanism_choice.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

ConnectionFacts LineSignIn::connection_facts() const {
   ConnectionFacts facts;
   facts.host = transport().host();
   facts.port = transport().port();
   facts.tls_version = transport().tls_version();
   facts.login_method = login_method_;
   facts.stats = transport().stats();
   facts.tls_resumed = transport().tls_resumed();
   facts.tls_found_out = tls_found_out();
   facts.mailbox = options_.mailbox;
   return facts;
}

void LineSignIn::sign_in(std::string_view username, const SecretString &secret, SecretKind kind,
                         CallContext &context) {
   const ServerEndpoint &endpoint = this->endpoint();
   const RedactedInTraces redacted(*this, secret.view());

   read_greeting(endpoint, context);
   if (!transport().is_tls() && endpoint.tls != TlsPolicy::implicit) {
      if (!knows_capabilities()) request_capabilities(context);
      if (decide_starttls(endpoint.tls, offers_starttls(), server(), starttls_command(), context.host())) {
         request_starttls(context);
         transport().start_tls(endpoint.tls_settings, context);  // refuses bytes sent before the handshake
         forget_capabilities();  // anything said before TLS may have been forged
      }
   }
   // Over TLS with a password, a protocol may sign in at once and learn the capabilities from
   // the answer (one round trip fewer); it says no when it cannot, and the usual path follows.
   const bool at_once =
       !authenticated_ && !knows_capabilities() && transport().is_tls() && kind == SecretKind::password;
   if (at_once) before_sign_in(context);
   if (at_once && sign_in_before_capabilities(username, secret, context)) authenticated_ = true;
   if (!authenticated_ && !knows_capabilities()) request_capabilities(context);
   if (!authenticated_) {
      before_sign_in(context);
      if (kind == SecretKind::oauth2_token)
         sign_in_with_oauth2(username, secret, context);
      else
         sign_in_with_password(username, secret, context);
      authenticated_ = true;
   }
   context.host().info(std::string(protocol()) + ": logged in to " + server() +
                       (transport().is_tls() ? " over " + transport().tls_version() : " WITHOUT TLS") + " (" +
                       login_method_ + ")");
}

void LineSignIn::sign_in_with_oauth2(std::string_view username, const SecretString &token,
                                     CallContext &context) {
   auto offers = [this](std::string_view mechanism) { return offers_sasl(mechanism); };
   // Another mailbox: Exchange Online takes the shared mailbox's address as the SASL user.
   const std::string_view user = options_.mailbox.empty() ? username : std::string_view(options_.mailbox);
   std::unique_ptr<SaslMechanism> mechanism =
       choose_oauth2_mechanism(offers, user, token.view(), transport().host(), transport().port());
   if (!mechanism)
      throw Failure(RPA_UNSUPPORTED, server() +
                                         " does not offer OAuth2 sign-in (neither SASL OAUTHBEARER "
                                         "nor XOAUTH2 among its " +
                                         protocol() +
                                         " capabilities); "
                                         "use auth_type \"password\" for this server");
   SaslOutcome outcome = run_sasl_exchange(*mechanism, context);
   if (!outcome.success)
      throw TokenRefused(oauth2_rejection(server(), protocol(), mechanism->name(), username,
                                          redact(outcome.server_text, {token.view()}),
                                          mechanism->server_error()));
}

SaslOutcome LineSignIn::run_sasl_exchange(SaslMechanism &mechanism, CallContext &context) {
   std::unique_ptr<SaslCarrier> carrier = sasl_carrier(context);
   SaslOutcome outcome = run_sasl(*carrier, mechanism);
   if (outcome.success) {
      login_method_ = std::string(sasl_verb()) + " " + mechanism.name();
      after_sasl_success(*carrier, context);
   }
   return outcome;
}

Failure LineSignIn::password_refused(const std::string &said) const {
   if (!options_.mailbox.empty())
      return Failure(RPA_AUTHENTICATION_FAILED,
                     "authentication failed: " + server() + " did not let the user open the mailbox \"" +
                         options_.mailbox +
                         "\": the user may not open that mailbox (it needs delegated or master-user "
                         "rights there), or the username or password is wrong (server said: " +
                         said + ")");
   const std::string rule = provider_password_rule(to_lower_ascii(endpoint().host));
   return Failure(RPA_AUTHENTICATION_FAILED, "authentication failed: " + server() +
                                                 " rejected the username or password (server said: " + said +
                                                 ")" + (rule.empty() ? "" : ". " + rule));
}

void LineSignIn::fail_no_plain_for_mailbox() const {
   throw Failure(RPA_UNSUPPORTED, server() +
                                      " does not offer SASL PLAIN, the only way to name another mailbox (\"" +
                                      options_.mailbox +
                                      "\", the authorization identity of RFC 4616) when signing in with a "
                                      "password; no password was sent. Leave mailbox empty to open the "
                                      "user's own mailbox");
}

}  // namespace email
