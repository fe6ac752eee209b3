#include "pop3/pop3_client.h"

#include "pop3/pop3_mailbox.h"

#include "sasl/mechanism_choice.h"
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
class Pop3SaslCarrier final : public LineClient::Carrier {
 public:
   Pop3SaslCarrier(Pop3Client &client, CallContext &context) : Carrier(client, context), client_(client) {}

   void send_start(const char *mechanism, const SecretString *initial) override {
      SecretString line = sasl_command_line("AUTH", mechanism, initial);
      write_line(line.view(), std::string("AUTH ") + mechanism + (initial ? " ****" : ""));
   }
   bool can_send_initial_response(std::size_t base64_size) const override {
      return base64_size + 32 <= kMaxAuthCommandBytes;
   }
   SaslServerReply read_reply() override {
      Reply reply = client_.read_reply(context_);
      client_.last_reply_ = reply;
      switch (reply.kind) {
      case Reply::Kind::continuation: return {SaslServerReply::Kind::challenge, reply.text};
      case Reply::Kind::ok: return {SaslServerReply::Kind::success, describe(reply)};
      default: return {SaslServerReply::Kind::failure, describe(reply)};
      }
   }

 private:
   Pop3Client &client_;
};

Pop3Client::Pop3Client(const ServerEndpoint &endpoint, CallContext &context)
    : OpenableLineClient("POP3", endpoint, context) {}

void Pop3Client::read_greeting(const ServerEndpoint &endpoint, CallContext &context) {
   Reply greeting;
   try {
      greeting = read_reply(context);
   } catch (const Failure &failure) {
      if (failure.status() != RPA_PROTOCOL_ERROR) throw;
      throw Failure(RPA_PROTOCOL_ERROR, server() + " did not greet like a POP3 server (is port " +
                                            std::to_string(endpoint.port) + " a POP3 port?)");
   }
   if (greeting.kind != Reply::Kind::ok)
      throw Failure(RPA_CONNECTION_FAILED, server() + " refused the connection: " + describe(greeting));
}

void Pop3Client::request_starttls(CallContext &context) {
   Reply reply = command("STLS", context);
   if (reply.kind != Reply::Kind::ok)
      throw Failure(RPA_TLS_FAILED, server() + " refused STLS: " + describe(reply));
}

std::unique_ptr<SaslCarrier> Pop3Client::sasl_carrier(CallContext &context) {
   return std::make_unique<Pop3SaslCarrier>(*this, context);
}

Reply Pop3Client::read_reply(CallContext &context) {
   std::string line = read_line(context, "the POP3 server's reply");
   try {
      return pop3::parse_reply(line);
   } catch (const std::invalid_argument &) {
      throw Failure(RPA_PROTOCOL_ERROR,
                    server() + " sent something that is not a POP3 reply: " + printable(line, 80));
   }
}

Reply Pop3Client::command(std::string_view line, CallContext &context) {
   send_line(std::string(line) + "\r\n", context, line);
   return read_reply(context);
}

std::optional<std::string> Pop3Client::read_multiline(CallContext &context, const char *waiting_for) {
   std::string line = transport().read_line(context, waiting_for);
   if (!pop3::unstuff_multiline(line)) return std::nullopt;
   return line;
}

bool Pop3Client::pipelining(bool worth_asking, CallContext &context) {
   if (!capabilities_known_ && worth_asking) request_capabilities(context);
   return capabilities_.has("PIPELINING");
}

void Pop3Client::send_lines(std::string_view lines, CallContext &context) {
   send_line(lines, context, lines.substr(0, lines.size() >= 2 ? lines.size() - 2 : lines.size()));
}

void Pop3Client::forget_capabilities() {
   capabilities_ = {};
   capabilities_known_ = false;
}

void Pop3Client::request_capabilities(CallContext &context) {
   forget_capabilities();
   Reply reply = command("CAPA", context);
   capabilities_known_ = true;
   capa_supported_ = reply.kind == Reply::Kind::ok;
   if (!capa_supported_) return;  // an RFC 1939-only server: USER/PASS is all it knows
   std::vector<std::string> lines;
   for (;;) {
      std::string line = transport().read_line(context, "the POP3 capability list");
      if (!pop3::unstuff_multiline(line)) break;
      if (lines.size() == kMaxCapabilityLines)  // a server that never ends its list
         throw Failure(RPA_PROTOCOL_ERROR, server() + " sent a capability list without an end");
      lines.push_back(line);
   }
   capabilities_ = pop3::parse_capabilities(lines);
}

bool Pop3Client::sign_in_before_capabilities(std::string_view username, const SecretString &password,
                                             CallContext &context) {
   auto mechanism = make_plain_mechanism(username, password.view(), options_.mailbox);
   if (run_sasl_exchange(*mechanism, context).success) return true;
   // RFC 3206 [AUTH]: the server understood and refused the credentials; do not send them again.
   if (last_reply_.code.rfind("AUTH", 0) == 0 || last_reply_.code == "IN-USE" ||
       last_reply_.code == "SYS/TEMP")
      fail_authentication(last_reply_, username, password);
   plain_refused_ = last_reply_;
   return false;
}

void Pop3Client::sign_in_with_password(std::string_view username, const SecretString &password,
                                       CallContext &context) {
   // PLAIN was tried before CAPA and refused: when CAPA offers it, that refusal was the answer.
   if (plain_refused_ && offers_sasl("PLAIN")) fail_authentication(*plain_refused_, username, password);
   auto offers = [this](std::string_view mechanism) { return offers_sasl(mechanism); };
   // SASL LOGIN only from a server that lists its capabilities and offers no USER.
   const bool login_allowed = capa_supported_ && !capabilities_.has("USER");
   // (A PLAIN refused before CAPA is not offered here: that case ended above.)
   auto mechanism =
       choose_password_mechanism(offers, username, password.view(), login_allowed, options_.mailbox);
   if (mechanism) {
      if (!run_sasl_exchange(*mechanism, context).success)
         fail_authentication(last_reply_, username, password);
      return;
   }
   if (!options_.mailbox.empty()) fail_no_plain_for_mailbox();  // USER/PASS cannot name it
   if (capa_supported_ && !capabilities_.has("USER")) {
      if (!transport().is_tls())
         throw Failure(RPA_AUTHENTICATION_FAILED,
                       server() +
                           " does not accept passwords over an unencrypted connection (its "
                           "capabilities offer no USER and no SASL PLAIN) and offers no STLS; "
                           "no password was sent. Turn on use_secure_connection or ask the "
                           "administrator for the TLS port.");
      throw Failure(RPA_UNSUPPORTED, server() +
                                         " offers no login method this plugin knows (USER, "
                                         "SASL PLAIN, SASL LOGIN)");
   }
   user_pass(username, password, context);
}

void Pop3Client::user_pass(std::string_view username, const SecretString &password, CallContext &context) {
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
   if (reply.kind != Reply::Kind::err)  // only +OK signs in, and only -ERR refuses
      throw Failure(RPA_PROTOCOL_ERROR,
                    server() + " answered the sign-in with neither +OK nor -ERR: " + said);
   if (reply.code == "IN-USE")
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    server() + " says the mailbox is in use by another POP3 session: " + said);
   if (reply.code == "SYS/TEMP")
      throw Failure(RPA_CONNECTION_FAILED, server() + " has a temporary problem: " + said);
   throw password_refused(said);
}

void Pop3Client::noop(CallContext &context) {
   Reply reply = command("NOOP", context);
   // RFC 3206 [SYS/TEMP]: the server cannot go on now (Dovecot says it when it ends the session);
   // the connection is as good as lost, and the session reconnects.
   if (reply.kind != Reply::Kind::ok && reply.code == "SYS/TEMP")
      throw Failure(RPA_CONNECTION_FAILED, server() + " ended the session: " + describe(reply));
   if (reply.kind != Reply::Kind::ok)
      throw Failure(RPA_PROTOCOL_ERROR, server() + " answered NOOP with " + describe(reply));
}

Pop3Client::~Pop3Client() = default;

Mailbox &Pop3Client::mailbox() {
   if (!mailbox_) mailbox_ = std::make_unique<Pop3Mailbox>(*this);
   return *mailbox_;
}

void Pop3Client::logout(CallContext &context) {
   try {
      send_last_line("QUIT\r\n", context);
      read_reply(context);
   } catch (const Failure &failure) {
      context.host().debug(std::string("POP3: QUIT: ") + failure.what());
   }
}

}  // namespace email
