#include "smtp/smtp_client.h"

#include <stdexcept>

#include "sasl/mechanism_choice.h"
#include "smtp/smtp_envelope.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

using smtp::Reply;

namespace {
// RFC 5321 4.5.3.1.4: a command line is at most 512 octets, CRLF included; RFC 4954 4 keeps AUTH
// with its initial response within that, else the response follows a 334.
constexpr std::size_t kMaxCommandBytes = 512;
// How much of the message goes to the transport in one write.
constexpr std::size_t kChunkBytes = 64 * 1024;

std::string megabytes(std::uint64_t bytes) {
   const std::uint64_t tenths = (bytes * 10 + 524288) / 1048576;
   return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MB";
}
}  // namespace

// SMTP's carrier for the shared SASL exchange (RFC 4954): AUTH, 334 challenges, 235 or a refusal.
class SmtpSaslCarrier final : public LineSignIn::Carrier {
 public:
   SmtpSaslCarrier(SmtpClient &client, CallContext &context) : Carrier(client, context), client_(client) {}

   void send_start(const char *mechanism, const SecretString *initial) override {
      SecretString line = sasl_command_line("AUTH", mechanism, initial);
      write_line(line.view(), std::string("AUTH ") + mechanism + (initial ? " ****" : ""));
   }
   bool can_send_initial_response(std::size_t base64_size) const override {
      return base64_size + 32 <= kMaxCommandBytes;
   }
   SaslServerReply read_reply() override {
      Reply reply = client_.read_reply(context_, "the SMTP server's answer to AUTH");
      client_.last_reply_ = reply;
      if (reply.code == 334)
         return {SaslServerReply::Kind::challenge, reply.lines.empty() ? "" : reply.lines.front()};
      const std::string said = std::to_string(reply.code) + " " + printable(reply.text(), 300);
      return {reply.code == 235 ? SaslServerReply::Kind::success : SaslServerReply::Kind::failure, said};
   }

 private:
   SmtpClient &client_;
};

SmtpClient::SmtpClient(const ServerEndpoint &endpoint, CallContext &context)
    : LineSignIn("SMTP", endpoint, context) {}

SmtpClient::~SmtpClient() = default;

std::unique_ptr<SmtpClient> SmtpClient::open(const ServerEndpoint &endpoint, std::string_view username,
                                             const SecretString &secret, SecretKind kind,
                                             CallContext &context) {
   std::unique_ptr<SmtpClient> client(new SmtpClient(endpoint, context));
   client->client_name_ = client->transport().local_address_literal();
   if (client->client_name_.empty()) client->client_name_ = "[127.0.0.1]";
   client->sign_in(username, secret, kind, context);
   return client;
}

Reply SmtpClient::read_reply(CallContext &context, const char *waiting_for) {
   smtp::ReplyReader reader;
   for (;;) {
      const std::string line = read_line(context, waiting_for);
      try {
         if (reader.add(line)) return reader.take();
      } catch (const std::invalid_argument &) {
         throw Failure(RPA_PROTOCOL_ERROR,
                       server() + " sent something that is not an SMTP reply: " + printable(line, 80));
      }
   }
}

Reply SmtpClient::command(std::string_view line, CallContext &context, const char *waiting_for) {
   send_line(std::string(line) + "\r\n", context, line);
   return read_reply(context, waiting_for);
}

std::string SmtpClient::describe(const Reply &reply) const {
   const std::string advice = smtp::advice_for(reply);
   return "server said: " + std::to_string(reply.code) + " " + printable(reply.text(), 400) +
          (advice.empty() ? "" : "; " + advice);
}

void SmtpClient::read_greeting(const ServerEndpoint &endpoint, CallContext &context) {
   Reply greeting;
   try {
      greeting = read_reply(context, "the SMTP server's greeting");
   } catch (const Failure &failure) {
      if (failure.status() != RPA_PROTOCOL_ERROR) throw;
      throw Failure(RPA_PROTOCOL_ERROR, server() + " did not greet like an SMTP server (is port " +
                                            std::to_string(endpoint.port) + " an SMTP submission port?)");
   }
   if (greeting.code != 220)  // 554: "no SMTP service here" (RFC 5321 3.1)
      throw Failure(RPA_CONNECTION_FAILED, server() + " refused the connection (" + describe(greeting) + ")");
}

void SmtpClient::forget_capabilities() {
   extensions_ = {};
   capabilities_known_ = false;
}

void SmtpClient::request_capabilities(CallContext &context) {
   forget_capabilities();
   Reply reply = command("EHLO " + client_name_, context, "the SMTP server's answer to EHLO");
   if (reply.code == 421)
      throw Failure(RPA_CONNECTION_FAILED, server() + " is closing (" + describe(reply) + ")");
   if (reply.code != 250) {
      // RFC 5321 4.1.4: a server without extensions refuses EHLO; HELO still opens a session.
      reply = command("HELO " + client_name_, context, "the SMTP server's answer to HELO");
      if (reply.code != 250)
         throw Failure(RPA_CONNECTION_FAILED, server() + " refused EHLO and HELO (" + describe(reply) + ")");
   } else {
      extensions_ = smtp::parse_extensions(reply);
   }
   capabilities_known_ = true;
}

void SmtpClient::request_starttls(CallContext &context) {
   Reply reply = command("STARTTLS", context, "the SMTP server's answer to STARTTLS");
   if (reply.code != 220)
      throw Failure(RPA_TLS_FAILED, server() + " refused STARTTLS (" + describe(reply) + ")");
}

std::unique_ptr<SaslCarrier> SmtpClient::sasl_carrier(CallContext &context) {
   return std::make_unique<SmtpSaslCarrier>(*this, context);
}

void SmtpClient::sign_in_with_password(std::string_view username, const SecretString &password,
                                       CallContext &context) {
   if (extensions_.auth.empty()) {
      // A relay that takes mail without signing in: nothing of the password goes out.
      signed_in_ = false;
      login_method_ = "none (the server offers no AUTH)";
      context.host().info("SMTP: " + server() +
                          " offers no AUTH, so the password is not sent; the server decides at MAIL FROM "
                          "whether it takes mail from this client");
      return;
   }
   auto offers = [this](std::string_view mechanism) { return offers_sasl(mechanism); };
   auto mechanism = choose_password_mechanism(offers, username, password.view(), /*login_allowed=*/true);
   if (!mechanism) {
      std::string offered;
      for (const std::string &name : extensions_.auth) offered += (offered.empty() ? "" : " ") + name;
      throw Failure(RPA_UNSUPPORTED,
                    server() + " offers no password sign-in this plugin knows (its AUTH offers " +
                        printable(offered, 200) + "; PLAIN and LOGIN are known); no password was sent");
   }
   if (run_sasl_exchange(*mechanism, context).success) return;
   const std::string said = redact(describe(last_reply_), {username, password.view()});
   if (last_reply_.transient())  // 454 4.7.0: a temporary failure, not a verdict on the password
      throw Failure(RPA_CONNECTION_FAILED,
                    server() + " could not check the password just now (" + said + ")");
   throw password_refused(said);
}

SubmissionResult SmtpClient::send(const Submission &submission, MessageSource &message,
                                  CallContext &context) {
   message_started_ = false;
   if (submission.recipients.empty()) throw Failure(RPA_INVALID_PROPERTIES, "the message has no recipient");
   if (submission.utf8_headers && !extensions_.smtputf8)
      throw Failure(RPA_UNSUPPORTED, server() +
                                         " does not offer SMTPUTF8, which an address in UTF-8 needs "
                                         "(RFC 6531); nothing was sent");
   if (extensions_.size && *extensions_.size > 0 && submission.size > *extensions_.size)
      throw Failure(RPA_INVALID_PROPERTIES,
                    "the message is " + megabytes(submission.size) + " and " + server() +
                        " takes messages of at most " + megabytes(*extensions_.size) +
                        " (its SIZE); nothing was sent. Send the large files as links");
   smtp::EnvelopeOptions options;
   if (extensions_.size) options.size = submission.size;
   options.eightbit = submission.eightbit && extensions_.eightbitmime;
   options.smtputf8 = submission.utf8_headers;
   options.dsn = extensions_.dsn;  // NOTIFY=FAILURE,DELAY: the sender hears of a failure, not of success
   std::string mail_from;
   std::vector<std::string> rcpt_to;
   try {
      mail_from = smtp::mail_from_command(submission.from, options);
      for (const std::string &recipient : submission.recipients)
         rcpt_to.push_back(smtp::rcpt_to_command(recipient, options));
   } catch (const std::invalid_argument &problem) {
      throw Failure(RPA_INVALID_PROPERTIES, std::string(problem.what()) + "; nothing was sent");
   }
   if (submission.eightbit && !extensions_.eightbitmime)
      context.host().info("SMTP: " + server() +
                          " does not offer 8BITMIME; the message's 8-bit text goes as it is");

   SubmissionResult result;
   // The envelope: pipelined when offered, each command waiting for its reply otherwise.
   const bool pipelining = extensions_.pipelining;
   std::vector<Reply> replies;
   auto trace_of = [](const std::string &line) { return std::string_view(line).substr(0, line.size() - 2); };
   if (pipelining) {
      queue_line(mail_from);
      for (std::size_t i = 0; i + 1 < rcpt_to.size(); ++i) queue_line(rcpt_to[i]);
      send_line(rcpt_to.back(), context, trace_of(rcpt_to.back()));
      replies.push_back(read_reply(context, "the SMTP server's answer to MAIL FROM"));
      for (std::size_t i = 0; i < rcpt_to.size(); ++i)
         replies.push_back(read_reply(context, "the SMTP server's answer to RCPT TO"));
      result.round_trips += 1;
   } else {
      send_line(mail_from, context, trace_of(mail_from));
      replies.push_back(read_reply(context, "the SMTP server's answer to MAIL FROM"));
      result.round_trips += 1;
      if (replies.front().positive())
         for (const std::string &line : rcpt_to) {
            send_line(line, context, trace_of(line));
            replies.push_back(read_reply(context, "the SMTP server's answer to RCPT TO"));
            result.round_trips += 1;
         }
   }
   const Reply &sender = replies.front();
   if (!sender.positive()) {
      reset(context);
      if (sender.code == 421)
         throw Failure(RPA_CONNECTION_FAILED, server() + " is closing (" + describe(sender) + ")");
      if (sender.code == 530 || sender.enhanced == "5.7.57" || sender.enhanced == "5.7.0")
         throw Failure(RPA_AUTHENTICATION_FAILED,
                       server() + " takes mail only from a signed-in client" +
                           (signed_in_ ? "" : ", and it offered no AUTH to sign in with") + " (" +
                           describe(sender) + "); nothing was sent");
      if (sender.enhanced.rfind("5.7.", 0) == 0)
         throw Failure(RPA_AUTHENTICATION_FAILED, server() + " does not let this account send as <" +
                                                      printable(submission.from, 200) + "> (" +
                                                      describe(sender) +
                                                      "); nothing was sent. Send from the account's own "
                                                      "address, or ask for \"send as\" rights");
      throw Failure(sender.transient() ? RPA_CONNECTION_FAILED : RPA_PROTOCOL_ERROR,
                    server() + " refused the sender <" + printable(submission.from, 200) + "> (" +
                        describe(sender) + "); nothing was sent");
   }
   for (std::size_t i = 1; i < replies.size(); ++i)
      if (replies[i].code == 421) {  // the server is closing: no verdict on the recipient
         reset(context);
         throw Failure(RPA_CONNECTION_FAILED,
                       server() + " is closing (" + describe(replies[i]) + "); nothing was sent");
      }
   for (std::size_t i = 1; i < replies.size(); ++i) {
      const std::string &recipient = submission.recipients[i - 1];
      if (replies[i].positive())
         result.accepted.push_back(recipient);
      else
         result.refused.push_back(
             {recipient, std::to_string(replies[i].code) + " " + printable(replies[i].text(), 300)});
   }
   if (result.accepted.empty()) {
      reset(context);
      std::string reasons;
      for (const RefusedRecipient &refused : result.refused)
         reasons += (reasons.empty() ? "" : "; ") + printable(refused.address, 200) + ": " + refused.reason;
      const Reply &first = replies.size() > 1 ? replies[1] : sender;
      const std::string advice = smtp::advice_for(first);
      throw Failure(first.code == 530 || first.enhanced == "5.7.57" ? RPA_AUTHENTICATION_FAILED
                                                                    : RPA_INVALID_PROPERTIES,
                    server() + " refused every recipient (" + reasons + ")" +
                        (advice.empty() ? "" : "; " + advice) + "; nothing was sent");
   }
   send_message_bytes(message, submission.size, result, context);
   return result;
}

void SmtpClient::send_message_bytes(MessageSource &message, std::uint64_t size, SubmissionResult &result,
                                    CallContext &context) {
   std::string chunk(kChunkBytes, '\0');
   std::uint64_t sent = 0;
   message_started_ = true;
   if (extensions_.chunking) {
      // RFC 3030: the message as it is, in one chunk of the size it has.
      const std::string bdat = "BDAT " + std::to_string(size) + " LAST\r\n";
      queue_line(bdat);
      bool first = true;
      for (;;) {
         const std::size_t got = message.read(chunk.data(), chunk.size());
         if (got == 0) break;
         if (sent + got > size)
            throw Failure(RPA_INTERNAL, "the message grew while it was sent (" + std::to_string(sent + got) +
                                            " bytes, " + std::to_string(size) + " announced)");
         if (first)
            send_line(std::string_view(chunk.data(), got), context,
                      "(the message, " + std::to_string(size) + " bytes)");
         else
            transport().write(std::string_view(chunk.data(), got), context);
         first = false;
         sent += got;
      }
      if (first) send_line("", context, "(an empty message)");
      if (sent != size)
         throw Failure(RPA_INTERNAL, "the message ended after " + std::to_string(sent) + " of the " +
                                         std::to_string(size) + " bytes announced; the connection is closed");
   } else {
      Reply go_ahead = command("DATA", context, "the SMTP server's answer to DATA");
      result.round_trips += 1;
      if (go_ahead.code != 354) {
         reset(context);
         throw Failure(go_ahead.transient() ? RPA_CONNECTION_FAILED : RPA_PROTOCOL_ERROR,
                       server() + " refused DATA (" + describe(go_ahead) + "); nothing was sent");
      }
      smtp::DotStuffer stuffer;
      for (;;) {
         const std::size_t got = message.read(chunk.data(), chunk.size());
         if (got == 0) break;
         const std::string stuffed = stuffer.feed(std::string_view(chunk.data(), got));
         transport().write(stuffed, context);
         sent += got;
      }
      send_line(stuffer.finish(), context, ".");
   }
   Reply done = read_reply(context, "the SMTP server's answer to the message");
   result.round_trips += 1;
   if (!done.positive()) {
      reset(context);
      throw Failure(done.transient() ? RPA_CONNECTION_FAILED : RPA_PROTOCOL_ERROR,
                    server() + " refused the message (" + describe(done) + "); it was not sent" +
                        (done.transient() ? " (a temporary refusal: try again later)" : ""));
   }
   result.server_said = printable(done.text(), 300);
   context.host().info("SMTP: " + server() + " took the message (" + std::to_string(sent) + " bytes) for " +
                       std::to_string(result.accepted.size()) + " recipient(s): " + result.server_said);
}

void SmtpClient::reset(CallContext &context) noexcept {
   try {
      command("RSET", context, "the SMTP server's answer to RSET");
   } catch (const std::exception &failure) {
      context.host().debug(std::string("SMTP: RSET: ") + failure.what());
   }
}

void SmtpClient::noop(CallContext &context) {
   Reply reply = command("NOOP", context, "the SMTP server's answer to NOOP");
   if (reply.code == 421)
      throw Failure(RPA_CONNECTION_FAILED, server() + " ended the session (" + describe(reply) + ")");
   if (!reply.positive())
      throw Failure(RPA_PROTOCOL_ERROR, server() + " answered NOOP with " + describe(reply));
}

void SmtpClient::quit(CallContext &context) {
   try {
      send_last_line("QUIT\r\n", context);
      read_reply(context, "the SMTP server's answer to QUIT");
   } catch (const std::exception &failure) {
      context.host().debug(std::string("SMTP: QUIT: ") + failure.what());
   }
}

}  // namespace email
