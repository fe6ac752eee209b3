#include "line/line_client.h"

#include "line/provider_rules.h"

#include "sasl/mechanism_choice.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {
// How long a server may take to greet before we find out whether it waits for a TLS ClientHello.
constexpr std::chrono::milliseconds kGreetingGrace{1000};
}  // namespace

LineClient::LineClient(const char *protocol, const ServerEndpoint &endpoint, CallContext &context)
    : protocol_(protocol), endpoint_(endpoint), server_(endpoint.label()) {
   transport_ = open_transport(context);
}

std::unique_ptr<Transport> LineClient::open_transport(CallContext &context) {
   const std::string port = std::to_string(endpoint_.port);
   auto transport = Transport::connect(endpoint_, context);
   if (endpoint_.tls == TlsPolicy::implicit) {
      try {
         transport->start_tls(endpoint_.tls_settings, context);
         return transport;
      } catch (const PlaintextAnswer &answer) {
         if (!endpoint_.tls_guessed)
            throw Failure(
                RPA_TLS_FAILED,
                std::string(answer.what()) + "; set tls_mode to \"starttls\" (or use the server's TLS port)");
      }
      // tls_mode auto guessed implicit TLS from the port, and the server greets in plain text.
      endpoint_.tls = TlsPolicy::starttls_required;
      tls_found_out_ = "port " + port + " greets in plain text, so STARTTLS was used";
      context.host().info(std::string(protocol_) + ": " + server_ + ": " + tls_found_out_);
      return Transport::connect(endpoint_, context);
   }
   if (transport->speaks_within(kGreetingGrace, context)) return transport;
   // Silence where a greeting was due: a server that expects TLS at once waits for our ClientHello.
   try {
      transport->start_tls(endpoint_.tls_settings, context);
   } catch (const PlaintextAnswer &) {
      // It was only slow to greet, and our ClientHello spoiled this connection: start again and wait.
      return Transport::connect(endpoint_, context);
   }
   if (!endpoint_.tls_guessed)
      throw Failure(RPA_TLS_FAILED, server_ +
                                        " expects TLS at once (it answered a TLS handshake where a greeting "
                                        "was due); set tls_mode to \"implicit\"");
   endpoint_.tls = TlsPolicy::implicit;
   tls_found_out_ = "port " + port + " expects TLS at once, so implicit TLS was used";
   context.host().info(std::string(protocol_) + ": " + server_ + ": " + tls_found_out_);
   return transport;
}

ConnectionFacts LineClient::facts() const {
   ConnectionFacts facts;
   facts.host = transport_->host();
   facts.port = transport_->port();
   facts.tls_version = transport_->tls_version();
   facts.login_method = login_method_;
   facts.stats = transport_->stats();
   facts.tls_resumed = transport_->tls_resumed();
   facts.tls_found_out = tls_found_out_;
   facts.mailbox = options_.mailbox;
   return facts;
}

void LineClient::sign_in(std::string_view username, const SecretString &secret, SecretKind kind,
                         CallContext &context) {
   const ServerEndpoint &endpoint = endpoint_;
   trace_secret_ = secret.view();
   struct Forget {
      std::string_view &secret;
      ~Forget() { secret = {}; }
   } forget{trace_secret_};

   read_greeting(endpoint, context);
   if (!transport_->is_tls() && endpoint.tls != TlsPolicy::implicit) {
      if (!knows_capabilities()) request_capabilities(context);
      if (decide_starttls(endpoint.tls, offers_starttls(), server_, starttls_command(), context.host())) {
         request_starttls(context);
         transport_->start_tls(endpoint.tls_settings, context);  // refuses bytes sent before the handshake
         forget_capabilities();  // anything said before TLS may have been forged
      }
   }
   // Over TLS with a password, a protocol may sign in at once and learn the capabilities from
   // the answer (one round trip fewer); it says no when it cannot, and the usual path follows.
   const bool at_once =
       !authenticated_ && !knows_capabilities() && transport_->is_tls() && kind == SecretKind::password;
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
   context.host().info(std::string(protocol_) + ": logged in to " + server_ +
                       (transport_->is_tls() ? " over " + transport_->tls_version() : " WITHOUT TLS") + " (" +
                       login_method_ + ")");
}

void LineClient::sign_in_with_oauth2(std::string_view username, const SecretString &token,
                                     CallContext &context) {
   auto offers = [this](std::string_view mechanism) { return offers_sasl(mechanism); };
   // Another mailbox: Exchange Online takes the shared mailbox's address as the SASL user.
   const std::string_view user = options_.mailbox.empty() ? username : std::string_view(options_.mailbox);
   std::unique_ptr<SaslMechanism> mechanism =
       choose_oauth2_mechanism(offers, user, token.view(), transport_->host(), transport_->port());
   if (!mechanism)
      throw Failure(RPA_UNSUPPORTED, server_ +
                                         " does not offer OAuth2 sign-in (neither SASL OAUTHBEARER "
                                         "nor XOAUTH2 among its " +
                                         protocol_ +
                                         " capabilities); "
                                         "use auth_type \"password\" for this server");
   SaslOutcome outcome = run_sasl_exchange(*mechanism, context);
   if (!outcome.success)
      throw TokenRefused(oauth2_rejection(server_, mechanism->name(), username,
                                          redact(outcome.server_text, {token.view()}),
                                          mechanism->server_error()));
}

SaslOutcome LineClient::run_sasl_exchange(SaslMechanism &mechanism, CallContext &context) {
   std::unique_ptr<SaslCarrier> carrier = sasl_carrier(context);
   SaslOutcome outcome = run_sasl(*carrier, mechanism);
   if (outcome.success) {
      login_method_ = std::string(sasl_verb()) + " " + mechanism.name();
      after_sasl_success(*carrier, context);
   }
   return outcome;
}

Failure LineClient::password_refused(const std::string &said) const {
   if (!options_.mailbox.empty())
      return Failure(RPA_AUTHENTICATION_FAILED,
                     "authentication failed: " + server_ + " did not let the user open the mailbox \"" +
                         options_.mailbox +
                         "\": the user may not open that mailbox (it needs delegated or master-user "
                         "rights there), or the username or password is wrong (server said: " +
                         said + ")");
   const std::string rule = provider_password_rule(to_lower_ascii(endpoint_.host));
   return Failure(RPA_AUTHENTICATION_FAILED, "authentication failed: " + server_ +
                                                 " rejected the username or password (server said: " + said +
                                                 ")" + (rule.empty() ? "" : ". " + rule));
}

void LineClient::fail_no_plain_for_mailbox() const {
   throw Failure(RPA_UNSUPPORTED, server_ +
                                      " does not offer SASL PLAIN, the only way to name another mailbox (\"" +
                                      options_.mailbox +
                                      "\", the authorization identity of RFC 4616) when signing in with a "
                                      "password; no password was sent. Leave mailbox empty to open the "
                                      "user's own mailbox");
}

void LineClient::send_line(std::string_view line, CallContext &context, std::string_view trace) {
   if (!queued_.empty()) {
      // Pipelined: the queued lines and this one in one write (queued lines hold no secret).
      std::string queued;
      queued.swap(queued_);
      for (std::size_t start = 0; start < queued.size();) {
         const std::size_t end = queued.find("\r\n", start);
         context.host().debug(std::string(protocol_) + " C: " + queued.substr(start, end - start));
         start = end == std::string::npos ? queued.size() : end + 2;
      }
      context.host().debug(std::string(protocol_) + " C: " + std::string(trace));
      SecretString both;
      both.reserve(queued.size() + line.size());
      both.append(queued);
      both.append(line);
      transport_->write(both.view(), context);
      return;
   }
   context.host().debug(std::string(protocol_) + " C: " + std::string(trace));
   transport_->write(line, context);
}

void LineClient::send_last_line(std::string_view line, CallContext &context) {
   context.host().debug(std::string(protocol_) + " C: " + std::string(line.substr(0, line.find('\r'))) +
                        (transport_->is_tls() ? " (with the TLS close_notify)" : ""));
   transport_->write_last(line, context);
}

std::string LineClient::read_line(CallContext &context, const char *waiting_for) {
   std::string line = transport_->read_line(context, waiting_for);
   trace_received(line, context);
   return line;
}

void LineClient::trace_received(const std::string &text, CallContext &context) const {
   // A server may echo what it was sent; the trace never shows the secret.
   context.host().debug(std::string(protocol_) + " S: " + printable(redact(text, {trace_secret_}), 200));
}

}  // namespace email
