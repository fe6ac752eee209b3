#include "imap/imap_client.h"

#include "sasl/sasl_exchange.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

using imap::Response;

namespace {
// One response, literals included, may not exceed this.
constexpr std::size_t kMaxLiteralBytes = 8 * 1024 * 1024;
constexpr std::size_t kMaxUntaggedResponses = 1000000;

std::string describe(const Response &response) {
   std::string text = response.code.empty() ? response.text : "[" + response.code + "] " + response.text;
   return printable(text);
}
}  // namespace

// IMAP's carrier for the shared SASL exchange: AUTHENTICATE with continuation requests.
class ImapSaslCarrier final : public SaslCarrier {
 public:
   ImapSaslCarrier(ImapClient &client, CallContext &context)
       : client_(client), context_(context), tag_(client.next_tag()) {}

   void send_start(const char *mechanism, const SecretString *initial) override {
      SecretString line = sasl_command_line(tag_ + " AUTHENTICATE", mechanism, initial);
      write_line(line.view(), tag_ + " AUTHENTICATE " + mechanism + (initial ? " ****" : ""));
   }
   bool can_send_initial_response(std::size_t) const override {
      return client_.has_capability("SASL-IR");
   }
   SaslServerReply read_reply() override {
      for (std::size_t untagged = 0;; client_.count_untagged(untagged)) {
         Response response = client_.read_response(context_);
         if (response.kind == Response::Kind::continuation)
            return {SaslServerReply::Kind::challenge, response.text};
         if (response.kind == Response::Kind::untagged) {
            client_.take_untagged(response);
            continue;
         }
         if (response.tag != tag_)
            throw Failure(RPA_PROTOCOL_ERROR, client_.server_ + " answered an unknown tag");
         tagged_ = response;
         return {response.keyword == "OK" ? SaslServerReply::Kind::success
                                          : SaslServerReply::Kind::failure,
                 describe(response)};
      }
   }
   const Response &tagged() const { return tagged_; }

 protected:
   void write_line(std::string_view line, std::string_view trace) override {
      client_.send_line(line, context_, trace);
   }

 private:
   ImapClient &client_;
   CallContext &context_;
   std::string tag_;
   Response tagged_;
};

ImapClient::ImapClient(std::unique_ptr<Transport> transport, std::string server)
    : transport_(std::move(transport)), server_(std::move(server)) {}

std::unique_ptr<ImapClient> ImapClient::open(const ServerEndpoint &endpoint,
                                             std::string_view username,
                                             const SecretString &password,
                                             CallContext &context, SecretKind kind) {
   const std::string server = endpoint.label();
   std::unique_ptr<ImapClient> client(new ImapClient(Transport::open(endpoint, context), server));
   client->trace_secret_ = password.view();  // valid until open() returns
   client->read_greeting(endpoint, context);

   if (!client->transport_->is_tls() && endpoint.tls != TlsPolicy::implicit) {
      if (client->capabilities_.empty()) client->request_capabilities(context);
      if (decide_starttls(endpoint.tls, client->has_capability("STARTTLS"), server, "STARTTLS",
                          context.host()))
         client->start_tls(endpoint, context);
   }
   if (client->capabilities_.empty()) client->request_capabilities(context);
   if (!client->authenticated_) client->authenticate(username, password, kind, context);
   context.host().info("IMAP: logged in to " + server + (client->transport_->is_tls()
                           ? " over " + client->transport_->tls_version() : " WITHOUT TLS") +
                       " (" + client->login_method_ + ")");
   client->trace_secret_ = {};
   return client;
}

std::string ImapClient::next_tag() { return "A" + std::to_string(++tag_counter_); }

bool ImapClient::has_capability(std::string_view name) const {
   for (const auto &capability : capabilities_)
      if (iequals(capability, name)) return true;
   return false;
}

void ImapClient::send_line(std::string_view line, CallContext &context, std::string_view trace) {
   context.host().debug("IMAP C: " + std::string(trace));
   transport_->write(line, context);
}

Response ImapClient::read_response(CallContext &context) {
   std::string raw = transport_->read_line(context, "the IMAP server's response");
   // Only the line the server just sent may announce a literal: a literal's own bytes may end
   // in "{4}" and are data.
   for (long long size = imap::trailing_literal_size(raw); size >= 0;) {
      if (static_cast<unsigned long long>(size) + raw.size() > kMaxLiteralBytes)
         throw Failure(RPA_PROTOCOL_ERROR, server_ + " sent a response longer than " +
                                               std::to_string(kMaxLiteralBytes) + " bytes");
      raw += "\r\n";
      raw += transport_->read_exact(static_cast<std::size_t>(size), context, "an IMAP literal");
      const std::string rest = transport_->read_line(context, "the IMAP server's response");
      raw += rest;
      size = imap::trailing_literal_size(rest);
   }
   // A server may echo what it was sent; the trace never shows the password.
   context.host().debug("IMAP S: " + printable(redact(raw, {trace_secret_}), 200));
   return imap::parse_response(raw);
}

void ImapClient::count_untagged(std::size_t &seen) const {
   if (++seen > kMaxUntaggedResponses)
      throw Failure(RPA_PROTOCOL_ERROR, server_ + " sent more than " +
                                            std::to_string(kMaxUntaggedResponses) +
                                            " responses to one command");
}

void ImapClient::take_untagged(const Response &response) {
   if (response.keyword == "CAPABILITY") capabilities_ = imap::split_atoms(response.text);
   if (response.keyword == "BYE")
      throw Failure(RPA_CONNECTION_FAILED, server_ + " closed the session: " + describe(response));
   if (response.is_status()) {
      auto capabilities = imap::capabilities_from_code(response.code);
      if (!capabilities.empty()) capabilities_ = std::move(capabilities);
   }
}

template <typename OnUntagged>
Response ImapClient::run(std::string_view command, CallContext &context, OnUntagged on_untagged) {
   const std::string tag = next_tag();
   const std::string line = tag + " " + std::string(command);
   send_line(line + "\r\n", context, line);
   // The call's deadline bounds the time; the count bounds the memory and work.
   for (std::size_t untagged = 0;; count_untagged(untagged)) {
      Response response = read_response(context);
      if (response.kind == Response::Kind::continuation)
         throw Failure(RPA_PROTOCOL_ERROR, server_ + " asked for more data where none was due");
      if (response.kind == Response::Kind::untagged) {
         take_untagged(response);
         on_untagged(response);
         continue;
      }
      if (response.tag != tag)
         throw Failure(RPA_PROTOCOL_ERROR, server_ + " answered an unknown tag \"" +
                                               printable(response.tag, 40) + "\"");
      if (response.keyword == "OK") take_untagged(response);  // [CAPABILITY ...] in the OK
      return response;
   }
}

Response ImapClient::run(std::string_view command, CallContext &context) {
   return run(command, context, [](const Response &) {});
}

void ImapClient::read_greeting(const ServerEndpoint &endpoint, CallContext &context) {
   Response greeting = read_response(context);
   if (greeting.kind != Response::Kind::untagged || !greeting.is_status())
      throw Failure(RPA_PROTOCOL_ERROR, server_ + " did not greet like an IMAP server (is port " +
                                            std::to_string(endpoint.port) + " an IMAP port?)");
   if (greeting.keyword == "BYE")
      throw Failure(RPA_CONNECTION_FAILED, server_ + " refused the connection: " + describe(greeting));
   if (greeting.keyword == "PREAUTH") {
      if (!transport_->is_tls() && endpoint.tls == TlsPolicy::starttls_required)
         throw Failure(RPA_TLS_FAILED, server_ + " pre-authenticated a clear-text connection "
                                                 "(PREAUTH), so STARTTLS is impossible and TLS "
                                                 "was required; refusing");
      authenticated_ = true;
      login_method_ = "PREAUTH";
   } else if (greeting.keyword != "OK") {
      throw Failure(RPA_PROTOCOL_ERROR, server_ + " sent an unexpected greeting: " + describe(greeting));
   }
   take_untagged(greeting);
}

void ImapClient::request_capabilities(CallContext &context) {
   capabilities_.clear();
   Response tagged = run("CAPABILITY", context);
   if (tagged.keyword != "OK" || capabilities_.empty())
      throw Failure(RPA_PROTOCOL_ERROR, server_ + " did not list its capabilities: " + describe(tagged));
}

void ImapClient::start_tls(const ServerEndpoint &endpoint, CallContext &context) {
   Response tagged = run("STARTTLS", context);
   if (tagged.keyword != "OK")
      throw Failure(RPA_TLS_FAILED, server_ + " refused STARTTLS: " + describe(tagged));
   transport_->start_tls(endpoint.tls_settings, context);  // refuses bytes sent before the handshake
   capabilities_.clear();  // anything said before TLS may have been forged
   request_capabilities(context);
}

std::unique_ptr<SaslMechanism> ImapClient::oauth2_mechanism(std::string_view username,
                                                            const SecretString &token) const {
   if (has_capability("AUTH=OAUTHBEARER"))
      return make_oauthbearer_mechanism(username, token.view(), transport_->host(), transport_->port());
   if (has_capability("AUTH=XOAUTH2")) return make_xoauth2_mechanism(username, token.view());
   throw Failure(RPA_UNSUPPORTED, server_ + " does not offer OAuth2 sign-in (neither AUTH=OAUTHBEARER "
                                            "nor AUTH=XOAUTH2 among its capabilities); use "
                                            "auth_type \"password\" for this server");
}

void ImapClient::authenticate(std::string_view username, const SecretString &password,
                              SecretKind kind, CallContext &context) {
   if (kind == SecretKind::oauth2_token) {
      auto mechanism = oauth2_mechanism(username, password);
      ImapSaslCarrier carrier(*this, context);
      SaslOutcome outcome = run_sasl(carrier, *mechanism);
      const Response &tagged = carrier.tagged();
      if (!outcome.success)
         throw Failure(RPA_AUTHENTICATION_FAILED,
                       oauth2_rejection(server_, mechanism->name(), username,
                                        redact(describe(tagged), {password.view()}),
                                        mechanism->server_error()));
      take_untagged(tagged);
      authenticated_ = true;
      login_method_ = std::string("AUTHENTICATE ") + mechanism->name();
      if (imap::capabilities_from_code(tagged.code).empty()) request_capabilities(context);
      return;
   }
   if (has_capability("LOGINDISABLED"))
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    server_ + " does not accept passwords over an unencrypted connection "
                              "(LOGINDISABLED) and offers no STARTTLS; no password was sent. Turn on "
                              "use_secure_connection or ask the administrator for the TLS port.");
   Response tagged;
   if (has_capability("AUTH=PLAIN")) {
      auto mechanism = make_plain_mechanism(username, password.view());
      ImapSaslCarrier carrier(*this, context);
      SaslOutcome outcome = run_sasl(carrier, *mechanism);
      tagged = carrier.tagged();
      if (outcome.success) take_untagged(tagged);
      login_method_ = "AUTHENTICATE PLAIN";
   } else {
      tagged = login(username, password, context);
      login_method_ = "LOGIN";
   }
   if (tagged.keyword != "OK") fail_authentication(tagged, username, password);
   authenticated_ = true;
   // Post-login capabilities usually come in the tagged OK; ask only when they did not.
   if (imap::capabilities_from_code(tagged.code).empty()) request_capabilities(context);
}

Response ImapClient::login(std::string_view username, const SecretString &password,
                           CallContext &context) {
   const std::string tag = next_tag();
   const bool literal_plus = has_capability("LITERAL+");
   SecretString line;
   line.append(tag);
   line.append(" LOGIN");
   std::string trace = tag + " LOGIN **** ****";
   for (std::string_view value : {username, password.view()}) {
      line.append(' ');
      if (imap::string_form(value) == imap::StringForm::quoted) {
         imap::append_quoted(line, value);
         continue;
      }
      line.append("{" + std::to_string(value.size()) + (literal_plus ? "+}\r\n" : "}\r\n"));
      if (!literal_plus) {  // a synchronizing literal: wait for the go-ahead
         send_line(line.view(), context, trace);
         line.clear();
         Response go_ahead = read_response(context);
         if (go_ahead.kind != Response::Kind::continuation) {
            if (go_ahead.kind == Response::Kind::tagged) return go_ahead;
            throw Failure(RPA_PROTOCOL_ERROR, server_ + " did not accept a literal: " + describe(go_ahead));
         }
      }
      line.append(value);
   }
   line.append("\r\n");
   send_line(line.view(), context, trace);
   for (std::size_t untagged = 0;; count_untagged(untagged)) {
      Response response = read_response(context);
      if (response.kind == Response::Kind::untagged) {
         take_untagged(response);
         continue;
      }
      if (response.tag != tag)
         throw Failure(RPA_PROTOCOL_ERROR, server_ + " answered LOGIN out of order");
      if (response.keyword == "OK") take_untagged(response);
      return response;
   }
}

void ImapClient::fail_authentication(const Response &tagged, std::string_view username,
                                     const SecretString &password) const {
   const std::string said = redact(describe(tagged), {username, password.view()});
   if (tagged.keyword == "BAD")
      throw Failure(RPA_PROTOCOL_ERROR, server_ + " rejected the login command: " + said);
   throw Failure(RPA_AUTHENTICATION_FAILED,
                 "authentication failed: " + server_ +
                     " rejected the username or password (server said: " + said + ")");
}

void ImapClient::noop(CallContext &context) {
   Response tagged = run("NOOP", context);
   if (tagged.keyword != "OK")
      throw Failure(RPA_PROTOCOL_ERROR, server_ + " answered NOOP with " + describe(tagged));
}

std::vector<Folder> ImapClient::list_folders(CallContext &context) {
   std::vector<Folder> folders;
   Response tagged = run("LIST \"\" \"*\"", context, [&](const Response &response) {
      if (response.keyword != "LIST") return;
      try {
         imap::ListEntry entry = imap::parse_list_data(response.text);
         folders.push_back({entry.name, entry.delimiter, entry.attributes});
      } catch (const std::exception &) {
         context.host().warning("IMAP: skipped a LIST line that could not be read: " +
                                printable(response.text, 120));
      }
   });
   if (tagged.keyword != "OK")
      throw Failure(RPA_PROTOCOL_ERROR, server_ + " could not list folders: " + describe(tagged));
   return folders;
}

void ImapClient::logout(CallContext &context) {
   try {
      Response tagged = run("LOGOUT", context, [](const Response &) {});
      (void)tagged;
   } catch (const Failure &failure) {
      // "* BYE" before the tagged OK is the normal answer to LOGOUT.
      if (failure.status() != RPA_CONNECTION_FAILED)
         context.host().debug(std::string("IMAP: LOGOUT: ") + failure.what());
   }
}

}  // namespace email
