#include "imap/imap_client.h"

#include "imap/imap_mailbox.h"
#include "imap/imap_values.h"

#include "sasl/mechanism_choice.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

using imap::Response;

namespace {
// One response, literals included, may not exceed this.
constexpr std::size_t kMaxLiteralBytes = 8 * 1024 * 1024;
constexpr std::size_t kKeptResponseBytes = 256 * 1024;  // read_response's buffer, kept between responses
constexpr std::size_t kMaxUntaggedResponses = 1000000;

}  // namespace

// IMAP's carrier for the shared SASL exchange: AUTHENTICATE with continuation requests.
class ImapSaslCarrier final : public LineClient::Carrier {
 public:
   ImapSaslCarrier(ImapClient &client, CallContext &context)
       : Carrier(client, context), client_(client), tag_(client.next_tag()) {}

   void send_start(const char *mechanism, const SecretString *initial) override {
      SecretString line = sasl_command_line(tag_ + " AUTHENTICATE", mechanism, initial);
      write_line(line.view(), tag_ + " AUTHENTICATE " + mechanism + (initial ? " ****" : ""));
   }
   bool can_send_initial_response(std::size_t) const override {
      return client_.assume_sasl_ir_ || client_.has_capability("SASL-IR");
   }
   SaslServerReply read_reply() override {
      Response response = client_.read_to_tagged(tag_, true, context_);
      if (response.kind == Response::Kind::continuation)
         return {SaslServerReply::Kind::challenge, response.text};
      client_.last_tagged_ = response;
      return {response.keyword == "OK" ? SaslServerReply::Kind::success : SaslServerReply::Kind::failure,
              response.said()};
   }

 private:
   ImapClient &client_;
   std::string tag_;
};

ImapClient::ImapClient(const ServerEndpoint &endpoint, CallContext &context)
    : OpenableLineClient("IMAP", endpoint, context) {}

ImapClient::~ImapClient() = default;

Mailbox &ImapClient::mailbox() {
   if (!mailbox_) mailbox_ = std::make_unique<ImapMailbox>(*this);
   return *mailbox_;
}

std::string ImapClient::next_tag() { return "A" + std::to_string(++tag_counter_); }

bool ImapClient::has_capability(std::string_view name) const {
   for (const auto &capability : capabilities_)
      if (iequals(capability, name)) return true;
   return false;
}

bool ImapClient::offers_sasl(std::string_view mechanism) const {
   return has_capability("AUTH=" + std::string(mechanism));
}

std::unique_ptr<SaslCarrier> ImapClient::sasl_carrier(CallContext &context) {
   return std::make_unique<ImapSaslCarrier>(*this, context);
}

Response ImapClient::read_response(CallContext &context) {
   // One buffer for every response: once it has grown to a listing's, reading one allocates
   // nothing. A buffer a large literal grew is let go rather than kept for the session.
   if (raw_response_.capacity() > kKeptResponseBytes) std::string().swap(raw_response_);
   std::string &raw = raw_response_;
   raw.clear();
   transport().append_line(raw, context, "the IMAP server's response");
   // Only the line the server just sent may announce a literal: a literal's own bytes may end
   // in "{4}" and are data.
   for (long long size = imap::trailing_literal_size(raw); size >= 0;) {
      if (literal_sink_) {
         raw.erase(raw.rfind('{'));
         raw += "{0}\r\n";
         stream_literal(static_cast<std::uint64_t>(size), context);
      } else {
         if (static_cast<unsigned long long>(size) + raw.size() > kMaxLiteralBytes)
            throw Failure(RPA_PROTOCOL_ERROR, server() + " sent a response longer than " +
                                                  std::to_string(kMaxLiteralBytes) + " bytes");
         raw += "\r\n";
         transport().append_exact(raw, static_cast<std::size_t>(size), context, "an IMAP literal");
      }
      const std::size_t rest = raw.size();
      transport().append_line(raw, context, "the IMAP server's response");
      size = imap::trailing_literal_size(std::string_view(raw).substr(rest));
   }
   trace_received(raw, context);
   return imap::parse_response(raw);
}

void ImapClient::stream_literal(std::uint64_t size, CallContext &context) {
   constexpr std::uint64_t kChunk = 64 * 1024;
   for (std::uint64_t left = size; left > 0;) {
      const std::size_t chunk = static_cast<std::size_t>(std::min(left, kChunk));
      const std::string bytes = transport().read_exact(chunk, context, "an IMAP literal");
      (*literal_sink_)(bytes);
      left -= chunk;
      streamed_bytes_ += chunk;
   }
}

void ImapClient::queue_id_if_offered() {
   // The capabilities, or before them the pre-TLS hints: sending ID decides nothing about
   // security, and a server that does not take it only answers BAD.
   bool offered = has_capability("ID");
   for (const auto &hint : pre_tls_hints_)
      offered = offered || (capabilities_.empty() && iequals(hint, "ID"));
   if (id_queued_ || options_.imap_id.empty() || !offered) return;
   std::string line = next_tag();
   id_tag_ = line;
   line += " ID (";
   for (std::size_t i = 0; i < options_.imap_id.size() && i < 30; ++i) {  // RFC 2971: at most 30 pairs
      for (const std::string *text : {&options_.imap_id[i].first, &options_.imap_id[i].second}) {
         line += (line.back() == '(' ? "\"" : " \"");
         for (char c : *text) {
            if (c == '"' || c == '\\') line += '\\';
            line += c;
         }
         line += '"';
      }
   }
   queue_line(line + ")\r\n");
   id_queued_ = true;
}

void ImapClient::take_id_answer(const Response &tagged, CallContext &context) {
   id_tag_.clear();
   if (tagged.keyword != "OK")
      context.host().warning("IMAP: " + server() + " did not take the client's ID: " + tagged.said());
}

ConnectionFacts ImapClient::facts() const {
   ConnectionFacts facts = LineClient::facts();
   facts.server_id_json = server_id_json_;
   return facts;
}

void ImapClient::take_untagged(const Response &response) {
   if (response.keyword == "ID") server_id_json_ = imap::id_fields_json(response.text);
   if (response.keyword == "CAPABILITY") capabilities_ = imap::split_atoms(response.text);
   if (response.keyword == "BYE")
      throw Failure(RPA_CONNECTION_FAILED, server() + " closed the session: " + response.said());
   if (response.is_status()) {
      auto capabilities = imap::capabilities_from_code(response.code);
      if (!capabilities.empty()) capabilities_ = std::move(capabilities);
   }
}

template <typename OnUntagged>
Response ImapClient::read_to_tagged(const std::string &tag, bool continuation_expected, CallContext &context,
                                    OnUntagged on_untagged) {
   // The call's deadline bounds the time; the count bounds the memory and work.
   for (std::size_t untagged = 0;; ++untagged) {
      if (untagged > kMaxUntaggedResponses)
         throw Failure(RPA_PROTOCOL_ERROR, server() + " sent more than " +
                                               std::to_string(kMaxUntaggedResponses) +
                                               " responses to one command");
      Response response = read_response(context);
      if (response.kind == Response::Kind::continuation) {
         if (continuation_expected) return response;
         throw Failure(RPA_PROTOCOL_ERROR, server() + " asked for more data where none was due");
      }
      if (response.kind == Response::Kind::untagged) {
         take_untagged(response);
         on_untagged(response);
         continue;
      }
      if (!id_tag_.empty() && response.tag == id_tag_ && response.tag != tag) {  // a pipelined ID
         take_id_answer(response, context);
         continue;
      }
      if (response.tag != tag)
         throw Failure(RPA_PROTOCOL_ERROR,
                       server() + " answered an unknown tag \"" + printable(response.tag, 40) + "\"");
      if (response.keyword == "OK") take_untagged(response);  // [CAPABILITY ...] in the OK
      return response;
   }
}

Response ImapClient::read_to_tagged(const std::string &tag, bool continuation_expected,
                                    CallContext &context) {
   return read_to_tagged(tag, continuation_expected, context, [](const Response &) {});
}

template <typename OnUntagged>
Response ImapClient::run(std::string_view command, CallContext &context, OnUntagged on_untagged) {
   const std::string tag = next_tag();
   const std::string line = tag + " " + std::string(command);
   send_line(line + "\r\n", context, line);
   return read_to_tagged(tag, false, context, on_untagged);
}

Response ImapClient::run(std::string_view command, CallContext &context) {
   return run(command, context, [](const Response &) {});
}

Response ImapClient::read_to_tagged_with(const std::string &tag, bool continuation_expected,
                                         CallContext &context,
                                         const std::function<void(const Response &)> &on_untagged) {
   return read_to_tagged(tag, continuation_expected, context, on_untagged);
}

Response ImapClient::run_with(std::string_view command, CallContext &context,
                              const std::function<void(const Response &)> &on_untagged) {
   return run(command, context, on_untagged);
}

void ImapClient::read_greeting(const ServerEndpoint &endpoint, CallContext &context) {
   Response greeting = read_response(context);
   if (greeting.kind != Response::Kind::untagged || !greeting.is_status())
      throw Failure(RPA_PROTOCOL_ERROR, server() + " did not greet like an IMAP server (is port " +
                                            std::to_string(endpoint.port) + " an IMAP port?)");
   if (greeting.keyword == "BYE")
      throw Failure(RPA_CONNECTION_FAILED, server() + " refused the connection: " + greeting.said());
   if (greeting.keyword == "PREAUTH") {
      if (!transport().is_tls() && endpoint.tls == TlsPolicy::starttls_required)
         throw Failure(RPA_TLS_FAILED, server() +
                                           " pre-authenticated a clear-text connection "
                                           "(PREAUTH), so STARTTLS is impossible and TLS "
                                           "was required; refusing");
      authenticated_ = true;
      login_method_ = "PREAUTH";
      take_untagged(greeting);
      queue_id_if_offered();  // with the first command
   } else if (greeting.keyword != "OK") {
      throw Failure(RPA_PROTOCOL_ERROR, server() + " sent an unexpected greeting: " + greeting.said());
   }
   take_untagged(greeting);
}

void ImapClient::request_capabilities(CallContext &context) {
   capabilities_.clear();
   Response tagged = run("CAPABILITY", context);
   if (tagged.keyword != "OK" || capabilities_.empty())
      throw Failure(RPA_PROTOCOL_ERROR, server() + " did not list its capabilities: " + tagged.said());
}

void ImapClient::request_starttls(CallContext &context) {
   Response tagged = run("STARTTLS", context);
   if (tagged.keyword != "OK")
      throw Failure(RPA_TLS_FAILED, server() + " refused STARTTLS: " + tagged.said());
}

void ImapClient::after_sasl_success(SaslCarrier &, CallContext &context) {
   take_untagged(last_tagged_);
   // Post-login capabilities usually come in the tagged OK; ask only when they did not.
   if (imap::capabilities_from_code(last_tagged_.code).empty()) request_capabilities(context);
   queue_id_if_offered();  // a server that offers ID only after sign-in
}

bool ImapClient::sign_in_before_capabilities(std::string_view username, const SecretString &password,
                                             CallContext &context) {
   auto hinted = [this](std::string_view name) {
      for (const auto &capability : pre_tls_hints_)
         if (iequals(capability, name)) return true;
      return false;
   };
   if (!hinted("AUTH=PLAIN") || !hinted("SASL-IR")) return false;
   auto mechanism = make_plain_mechanism(username, password.view(), options_.mailbox);
   assume_sasl_ir_ = true;
   const bool success = run_sasl_exchange(*mechanism, context).success;
   assume_sasl_ir_ = false;
   if (success) return true;
   if (last_tagged_.keyword == "NO") fail_authentication(last_tagged_, username, password);
   return false;  // BAD: the hint was wrong; ask the capabilities
}

void ImapClient::sign_in_with_password(std::string_view username, const SecretString &password,
                                       CallContext &context) {
   if (has_capability("LOGINDISABLED"))
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    server() +
                        " does not accept passwords over an unencrypted connection "
                        "(LOGINDISABLED) and offers no STARTTLS; no password was sent. Turn on "
                        "use_secure_connection or ask the administrator for the TLS port.");
   auto offers = [this](std::string_view mechanism) { return offers_sasl(mechanism); };
   if (auto mechanism =
           choose_password_mechanism(offers, username, password.view(), false, options_.mailbox)) {
      if (!run_sasl_exchange(*mechanism, context).success)
         fail_authentication(last_tagged_, username, password);
      return;
   }
   if (!options_.mailbox.empty()) fail_no_plain_for_mailbox();  // LOGIN cannot name it
   Response tagged = login(username, password, context);
   if (tagged.keyword != "OK") fail_authentication(tagged, username, password);
   login_method_ = "LOGIN";
   if (imap::capabilities_from_code(tagged.code).empty()) request_capabilities(context);
   queue_id_if_offered();
}

Response ImapClient::login(std::string_view username, const SecretString &password, CallContext &context) {
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
         Response go_ahead = read_to_tagged(tag, true, context);
         if (go_ahead.kind != Response::Kind::continuation) return go_ahead;  // refused early
      }
      line.append(value);
   }
   line.append("\r\n");
   send_line(line.view(), context, trace);
   return read_to_tagged(tag, false, context);
}

void ImapClient::fail_authentication(const Response &tagged, std::string_view username,
                                     const SecretString &password) const {
   const std::string said = redact(tagged.said(), {username, password.view()});
   if (tagged.keyword == "BAD")
      throw Failure(RPA_PROTOCOL_ERROR, server() + " rejected the login command: " + said);
   if (tagged.keyword != "NO")  // only a tagged OK signs in, and only a NO refuses
      throw Failure(RPA_PROTOCOL_ERROR, server() + " answered the sign-in with \"" +
                                            printable(tagged.keyword, 20) +
                                            "\", neither a tagged OK nor a NO: " + said);
   throw password_refused(said);
}

void ImapClient::noop(CallContext &context) {
   Response tagged = run("NOOP", context);
   if (tagged.keyword != "OK")
      throw Failure(RPA_PROTOCOL_ERROR, server() + " answered NOOP with " + tagged.said());
}

void ImapClient::logout(CallContext &context) {
   try {
      const std::string tag = next_tag();
      send_last_line(tag + " LOGOUT\r\n", context);
      read_to_tagged(tag, false, context);
   } catch (const Failure &failure) {
      // "* BYE" before the tagged OK is the normal answer to LOGOUT.
      if (failure.status() != RPA_CONNECTION_FAILED)
         context.host().debug(std::string("IMAP: LOGOUT: ") + failure.what());
   }
}

}  // namespace email
