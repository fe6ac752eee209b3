// ImapClient: an IMAP4rev1/IMAP4rev2 session (RFC 3501, RFC 9051) from greeting to LOGOUT, on
// the shared line engine (line/line_client.h).
//
// Signs in in the fewest round trips the server allows: capabilities from the greeting's response
// code, STARTTLS when required or offered (pre-TLS capabilities discarded, plaintext injected
// after the go-ahead refused; after the upgrade AUTHENTICATE PLAIN goes at once when the pre-TLS
// list suggested AUTH=PLAIN and SASL-IR, without asking CAPABILITY again, and a BAD falls back to
// asking), AUTHENTICATE PLAIN with an initial response when SASL-IR is offered, post-login
// capabilities from the tagged OK, and LOGIN (quoted, or as literals) only
// when PLAIN is absent. LOGINDISABLED means no password is sent at all. Every response is read
// through one loop (read_to_tagged), which caps the untagged responses one command may draw.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imap/imap_response.h"
#include "line/line_client.h"
#include "mailbox/mailbox.h"

namespace email {

class ImapMailbox;

// The connection's state (RFC 9051 section 3, MailKit's ImapEngine): not authenticated until the
// sign-in (or a PREAUTH greeting), then authenticated, and selected while a folder is open.
enum class ImapState { not_authenticated, authenticated, selected };

struct SelectedFolder {
   std::string wire_name;  // as sent
   std::uint64_t uidvalidity = 0;
};

// Open with ImapClient::open(endpoint, username, secret, context, kind) (OpenableLineClient).
class ImapClient final : public OpenableLineClient<ImapClient> {
 public:
   const std::vector<std::string> &capabilities() const override { return capabilities_; }
   void noop(CallContext &context) override;
   void logout(CallContext &context) override;
   Mailbox &mailbox() override;  // imap/imap_mailbox.h

   bool has_capability(std::string_view name) const;
   ConnectionFacts facts() const override;
   ~ImapClient() override;

   ImapState state() const;
   // The open folder (state selected), else nullptr.
   const SelectedFolder *selected() const { return selected_.wire_name.empty() ? nullptr : &selected_; }

   // --- what the mailbox (imap/imap_mailbox.h) sends its commands through
   // SELECT `wire_name` (`argument`: how it goes on the wire, quoted or a literal) unless it is the
   // open folder. Throws folder_not_found when the server has none (the state is then
   // authenticated: RFC 9051 6.3.2), protocol_error on another refusal.
   const SelectedFolder &select(const std::string &wire_name, const std::string &argument,
                                CallContext &context);
   // select, with `then` (a command that waits for no go-ahead: no synchronising literal) sent in
   // the same write when the folder is not open yet: one round trip where select and run_with take
   // two. `then`'s untagged responses go to `on_untagged`; its tagged answer is returned with the
   // folder's UIDVALIDITY. When SELECT fails, `then`'s answer is read and dropped and select's
   // failure thrown.
   struct SelectedAnswer {
      std::uint64_t uidvalidity = 0;
      imap::Response tagged;  // `then`'s
   };
   SelectedAnswer select_then_run(const std::string &wire_name, const std::string &argument,
                                  std::string_view then, CallContext &context,
                                  const std::function<void(const imap::Response &)> &on_untagged);
   // Sends `command` (without tag) and reads to its tagged response (OK, NO or BAD); untagged
   // responses go to `on_untagged`.
   imap::Response run_with(std::string_view command, CallContext &context,
                           const std::function<void(const imap::Response &)> &on_untagged);
   // run_with, with every literal of the answer streamed to `sink` as it arrives instead of kept
   // (the response shows "{0}" in its place): a message's bytes in bounded memory.
   imap::Response run_streaming(std::string_view command, CallContext &context,
                                const std::function<void(const imap::Response &)> &on_untagged,
                                const ByteSink &sink);
   // IDLE (RFC 2177) in the selected folder until the server announces new mail (EXISTS: true),
   // `wait` passes or `stop` says so (asked every second; both false), then DONE and its tagged
   // OK. Throws connection_failed when the server ends the session (BYE), protocol_error when it
   // refuses IDLE. Implemented in imap/imap_idle.cpp.
   bool idle(std::chrono::milliseconds wait, const std::function<bool()> &stop, CallContext &context);
   // A command whose last argument is a literal of `size` bytes that `read` gives (APPEND):
   // "{n+}" without waiting with LITERAL+, else "{n}" and the server's go-ahead first; the bytes
   // go in chunks of 64 KiB as they are read, so a large message is never whole in memory. The
   // trace shows "<n bytes>" for the literal. A refused go-ahead is returned as the tagged answer.
   // Throws Failure(internal) when `read` ends before `size` bytes (a spool file cannot: a bug).
   imap::Response run_with_literal(std::string_view command, std::uint64_t size,
                                   const std::function<std::size_t(char *, std::size_t)> &read,
                                   CallContext &context);

 private:
   friend class OpenableLineClient<ImapClient>;
   friend class ImapSaslCarrier;
   ImapClient(const ServerEndpoint &endpoint, CallContext &context);

   // LineClient's steps
   void read_greeting(const ServerEndpoint &endpoint, CallContext &context) override;
   bool knows_capabilities() const override { return !capabilities_.empty(); }
   void request_capabilities(CallContext &context) override;
   // Keeps them as hints for sign_in_before_capabilities (never for a security decision).
   void forget_capabilities() override {
      pre_tls_hints_ = std::move(capabilities_);
      capabilities_.clear();
   }
   const char *starttls_command() const override { return "STARTTLS"; }
   bool offers_starttls() const override { return has_capability("STARTTLS"); }
   void request_starttls(CallContext &context) override;
   bool offers_sasl(std::string_view mechanism) const override;
   std::unique_ptr<SaslCarrier> sasl_carrier(CallContext &context) override;
   const char *sasl_verb() const override { return "AUTHENTICATE"; }
   void after_sasl_success(SaslCarrier &carrier, CallContext &context) override;
   bool sign_in_before_capabilities(std::string_view username, const SecretString &password,
                                    CallContext &context) override;
   void sign_in_with_password(std::string_view username, const SecretString &password,
                              CallContext &context) override;
   void before_sign_in(CallContext &) override { queue_id_if_offered(); }

   // IMAP ID (RFC 2971): once the server offers ID (before sign-in, over TLS; else after it), the
   // client's fields go out in front of the next command, with no round trip of their own. The
   // server's answer is kept for `facts` (server_id); a refusal is only logged.
   void queue_id_if_offered();
   void take_id_answer(const imap::Response &tagged, CallContext &context);

   // SELECT's steps: send it (with `then` behind it in the same write when given), read its
   // answer (the folder is open when it is OK), and throw its refusal.
   struct SelectTags {
      std::string select, then;  // `then` is "" when nothing went behind SELECT
   };
   SelectTags send_select(const std::string &argument, std::optional<std::string_view> then,
                          CallContext &context);
   imap::Response read_select(const std::string &tag, const std::string &wire_name, CallContext &context);
   [[noreturn]] void select_refused(const imap::Response &tagged, const std::string &wire_name) const;
   std::string next_tag();
   imap::Response read_response(CallContext &context);
   void stream_literal(std::uint64_t size, CallContext &context);  // to literal_sink_
   // Reads to the tagged response to `tag`, or to a continuation request when
   // `continuation_expected` (else one is a protocol error). Untagged responses update the
   // capabilities, throw on BYE and go to `on_untagged`; at most kMaxUntaggedResponses of them.
   template <typename OnUntagged>
   imap::Response read_to_tagged(const std::string &tag, bool continuation_expected, CallContext &context,
                                 OnUntagged on_untagged);
   imap::Response read_to_tagged(const std::string &tag, bool continuation_expected, CallContext &context);
   imap::Response read_to_tagged_with(const std::string &tag, bool continuation_expected,
                                      CallContext &context,
                                      const std::function<void(const imap::Response &)> &on_untagged);
   // Sends `command` (without tag) and reads to its tagged response (OK, NO or BAD).
   template <typename OnUntagged>
   imap::Response run(std::string_view command, CallContext &context, OnUntagged on_untagged);
   imap::Response run(std::string_view command, CallContext &context);
   void take_untagged(const imap::Response &response);
   imap::Response login(std::string_view username, const SecretString &password, CallContext &context);
   [[noreturn]] void fail_authentication(const imap::Response &tagged, std::string_view username,
                                         const SecretString &password) const;

   std::unique_ptr<ImapMailbox> mailbox_;
   SelectedFolder selected_;  // wire_name "" when no folder is open
   // While set, every literal the server sends goes to this sink as it arrives instead of into the
   // response, which shows an empty literal ("{0}") in its place (a message streamed in bounded
   // memory). `streamed_bytes_` counts what went there.
   const ByteSink *literal_sink_ = nullptr;
   std::uint64_t streamed_bytes_ = 0;
   std::string raw_response_;  // read_response's buffer, reused from one response to the next
   std::vector<std::string> capabilities_;
   std::vector<std::string> pre_tls_hints_;  // what the server said before STARTTLS
   bool assume_sasl_ir_ = false;             // the hints offered SASL-IR (one attempt)
   imap::Response last_tagged_;              // the tagged answer to the last AUTHENTICATE
   unsigned tag_counter_ = 0;
   bool id_queued_ = false;
   std::string id_tag_;          // the ID command's tag until its tagged answer came
   std::string server_id_json_;  // the server's ID fields as a JSON object, or ""
};

}  // namespace email
