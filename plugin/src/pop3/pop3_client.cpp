#include "pop3/pop3_client.h"

#include "sasl/sasl_exchange.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

using pop3::Reply;

namespace {
// RFC 5034 section 4: an AUTH command with its initial response must fit in 255 octets.
constexpr std::size_t kMaxAuthCommandBytes = 255;
constexpr std::size_t kMaxCapabilityLines = 1000;

std::string describe(const Reply &reply) {
   return printable(reply.code.empty() ? reply.text : "[" + reply.code + "] " + reply.text);
}
}  // namespace

// POP3's carrier for the shared SASL exchange: AUTH with "+ " continuations.
class Pop3SaslCarrier final : public SaslCarrier {
 public:
   Pop3SaslCarrier(Pop3Client &client, CallContext &context) : client_(client), context_(context) {}

   void send_start(const char *mechanism, const SecretString *initial) override {
      SecretString line = sasl_command_line("AUTH", mechanism, initial);
      write_line(line.view(), std::string("AUTH ") + mechanism + (initial ? " ****" : ""));
   }
   bool can_send_initial_response(std::size_t base64_size) const override {
      return base64_size + 32 <= kMaxAuthCommandBytes;
   }
   SaslServerReply read_reply() override {
      Reply reply = client_.read_reply(context_);
      last_ = reply;
      switch (reply.kind) {
      case Reply::Kind::continuation: return {SaslServerReply::Kind::challenge, reply.text};
      case Reply::Kind::ok: return {SaslServerReply::Kind::success, describe(reply)};
      default: return {SaslServerReply::Kind::failure, describe(reply)};
      }
   }
   const Reply &last() const { return last_; }

 protected:
   void write_line(std::string_view line, std::string_view trace) override {
      client_.send_line(line, context_, trace);
   }

 private:
   Pop3Client &client_;
   CallContext &context_;
   Reply last_;
};

Pop3Client::Pop3Client(std::unique_ptr<Transport> transport, std::string server)
    : transport_(std::move(transport)), server_(std::move(server)) {}

std::unique_ptr<Pop3Client> Pop3Client::open(const ServerEndpoint &endpoint,
                                             std::string_view username,
                                             const SecretString &password,
                                             CallContext &context, SecretKind kind) {
   const std::string server = endpoint.label();
   std::unique_ptr<Pop3Client> client(new Pop3Client(Transport::open(endpoint, context), server));
   client->trace_secret_ = password.view();  // valid until open() returns

   Reply greeting;
   try {
      greeting = client->read_reply(context);
   } catch (const Failure &failure) {
      if (failure.status() != RPA_PROTOCOL_ERROR) throw;
      throw Failure(RPA_PROTOCOL_ERROR, server + " did not greet like a POP3 server (is port " +
                                            std::to_string(endpoint.port) + " a POP3 port?)");
   }
   if (greeting.kind != Reply::Kind::ok)
      throw Failure(RPA_CONNECTION_FAILED, server + " refused the connection: " + describe(greeting));

   client->request_capabilities(context);
   if (!client->transport_->is_tls() && endpoint.tls != TlsPolicy::implicit &&
       decide_starttls(endpoint.tls, client->capabilities_.has("STLS"), server, "STLS",
                       context.host())) {
      Reply reply = client->command("STLS", context);
      if (reply.kind != Reply::Kind::ok)
         throw Failure(RPA_TLS_FAILED, server + " refused STLS: " + describe(reply));
      client->transport_->start_tls(endpoint.tls_settings, context);
      client->request_capabilities(context);  // pre-TLS capabilities may have been forged
   }
   client->authenticate(username, password, kind, context);
   context.host().info("POP3: logged in to " + server + (client->transport_->is_tls()
                           ? " over " + client->transport_->tls_version() : " WITHOUT TLS") +
                       " (" + client->login_method_ + ")");
   client->trace_secret_ = {};
   return client;
}

void Pop3Client::send_line(std::string_view line, CallContext &context, std::string_view trace) {
   context.host().debug("POP3 C: " + std::string(trace));
   transport_->write(line, context);
}

Reply Pop3Client::read_reply(CallContext &context) {
   std::string line = transport_->read_line(context, "the POP3 server's reply");
   // A server may echo what it was sent; the trace never shows the password.
   context.host().debug("POP3 S: " + printable(redact(line, {trace_secret_}), 200));
   try {
      return pop3::parse_reply(line);
   } catch (const std::invalid_argument &) {
      throw Failure(RPA_PROTOCOL_ERROR, server_ + " sent something that is not a POP3 reply: " +
                                            printable(line, 80));
   }
}

Reply Pop3Client::command(std::string_view line, CallContext &context) {
   send_line(std::string(line) + "\r\n", context, line);
   return read_reply(context);
}

void Pop3Client::request_capabilities(CallContext &context) {
   capabilities_ = {};
   Reply reply = command("CAPA", context);
   capa_supported_ = reply.kind == Reply::Kind::ok;
   if (!capa_supported_) return;  // an RFC 1939-only server: USER/PASS is all it knows
   std::vector<std::string> lines;
   for (;;) {
      std::string line = transport_->read_line(context, "the POP3 capability list");
      if (!pop3::unstuff_multiline(line)) break;
      if (lines.size() == kMaxCapabilityLines)  // a server that never ends its list
         throw Failure(RPA_PROTOCOL_ERROR, server_ + " sent a capability list without an end");
      lines.push_back(line);
   }
   capabilities_ = pop3::parse_capabilities(lines);
}

std::unique_ptr<SaslMechanism> Pop3Client::oauth2_mechanism(std::string_view username,
                                                            const SecretString &token) const {
   if (capabilities_.offers_sasl("OAUTHBEARER"))
      return make_oauthbearer_mechanism(username, token.view(), transport_->host(), transport_->port());
   if (capabilities_.offers_sasl("XOAUTH2")) return make_xoauth2_mechanism(username, token.view());
   throw Failure(RPA_UNSUPPORTED, server_ + " does not offer OAuth2 sign-in (neither SASL OAUTHBEARER "
                                            "nor XOAUTH2 in its capabilities); use auth_type "
                                            "\"password\" for this server");
}

void Pop3Client::authenticate(std::string_view username, const SecretString &password,
                              SecretKind kind, CallContext &context) {
   if (kind == SecretKind::oauth2_token) {
      auto mechanism = oauth2_mechanism(username, password);
      Pop3SaslCarrier carrier(*this, context);
      SaslOutcome outcome = run_sasl(carrier, *mechanism);
      if (!outcome.success)
         throw Failure(RPA_AUTHENTICATION_FAILED,
                       oauth2_rejection(server_, mechanism->name(), username,
                                        redact(describe(carrier.last()), {password.view()}),
                                        mechanism->server_error()));
      login_method_ = std::string("AUTH ") + mechanism->name();
      return;
   }
   if (capabilities_.offers_sasl("PLAIN") ||
       (capa_supported_ && !capabilities_.has("USER") && capabilities_.offers_sasl("LOGIN"))) {
      auto mechanism = capabilities_.offers_sasl("PLAIN")
                           ? make_plain_mechanism(username, password.view())
                           : make_login_mechanism(username, password.view());
      Pop3SaslCarrier carrier(*this, context);
      SaslOutcome outcome = run_sasl(carrier, *mechanism);
      if (!outcome.success) fail_authentication(carrier.last(), username, password);
      login_method_ = std::string("AUTH ") + mechanism->name();
      return;
   }
   if (capa_supported_ && !capabilities_.has("USER")) {
      if (!transport_->is_tls())
         throw Failure(RPA_AUTHENTICATION_FAILED,
                       server_ + " does not accept passwords over an unencrypted connection (its "
                                 "capabilities offer no USER and no SASL PLAIN) and offers no STLS; "
                                 "no password was sent. Turn on use_secure_connection or ask the "
                                 "administrator for the TLS port.");
      throw Failure(RPA_UNSUPPORTED, server_ + " offers no login method this plugin knows (USER, "
                                               "SASL PLAIN, SASL LOGIN)");
   }
   // USER and PASS carry their argument raw on one line: a line break would start a command.
   for (std::string_view value : {username, password.view()})
      if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
         throw Failure(RPA_INVALID_PROPERTIES,
                       "the username or password contains a line break or NUL, which POP3 USER/PASS "
                       "cannot carry; nothing was sent");
   SecretString user_line;
   user_line.append("USER ");
   user_line.append(username);
   user_line.append("\r\n");
   send_line(user_line.view(), context, "USER ****");
   Reply reply = read_reply(context);
   if (reply.kind != Reply::Kind::ok) fail_authentication(reply, username, password);
   SecretString pass_line;
   pass_line.reserve(password.size() + 8);
   pass_line.append("PASS ");
   pass_line.append(password.view());
   pass_line.append("\r\n");
   send_line(pass_line.view(), context, "PASS ****");
   reply = read_reply(context);
   if (reply.kind != Reply::Kind::ok) fail_authentication(reply, username, password);
   login_method_ = "USER/PASS";
}

void Pop3Client::fail_authentication(const Reply &reply, std::string_view username,
                                     const SecretString &password) const {
   const std::string said = redact(describe(reply), {username, password.view()});
   if (reply.code == "IN-USE")
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    server_ + " says the mailbox is in use by another POP3 session: " + said);
   if (reply.code == "SYS/TEMP")
      throw Failure(RPA_CONNECTION_FAILED, server_ + " has a temporary problem: " + said);
   throw Failure(RPA_AUTHENTICATION_FAILED,
                 "authentication failed: " + server_ +
                     " rejected the username or password (server said: " + said + ")");
}

void Pop3Client::noop(CallContext &context) {
   Reply reply = command("NOOP", context);
   if (reply.kind != Reply::Kind::ok)
      throw Failure(RPA_PROTOCOL_ERROR, server_ + " answered NOOP with " + describe(reply));
}

std::vector<Folder> Pop3Client::list_folders(CallContext &) {
   return {Folder{"INBOX", "", {}}};
}

void Pop3Client::logout(CallContext &context) {
   try {
      command("QUIT", context);
   } catch (const Failure &failure) {
      context.host().debug(std::string("POP3: QUIT: ") + failure.what());
   }
}

}  // namespace email
