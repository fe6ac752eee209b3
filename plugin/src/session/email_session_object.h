// EmailSessionObject: the plugin's implementation of "email.session/1" (email_session.h) and, on
// the same object, "email.mailbox/1" (email_mailbox.h, entry points in
// session/mailbox_entry_points.h) around a connected MailClient, and "email.send/2"
// (email_send.h, session/send_entry_points.h) around its MessageSender when it has one.
//
// Reference counted (starts at one, owned by the creator); the last release logs out if still
// open and frees everything. A mutex serializes calls on one session; every C entry point
// catches all exceptions and turns them into a status and a message.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "mime/message_composer.h"
#include "rpa/ext/email_mailbox.h"
#include "rpa/ext/email_send.h"
#include "rpa/ext/email_session.h"
#include "rpa/ext/email_watch.h"
#include "session/mail_client.h"
#include "session/message_sender.h"
#include "session/session_watcher.h"

namespace email {

class Failure;

class EmailSessionObject {
 public:
   // Opens a new client like the first one (same server and credentials; OAuth2 gets its token
   // anew). Owns whatever secrets it needs; they are wiped when it is destroyed.
   using Reopener = std::function<std::unique_ptr<MailClient>(CallContext &context)>;

   // Returns the new object's interface with one reference held by the caller. With a `reopen`,
   // a call that finds the connection lost (the server's autologout, a dropped connection:
   // connection_failed) reconnects once and runs again; `reopen` is dropped at close.
   // `sender`: how the session sends (nullptr: it cannot; email.send/2 then says why).
   static const rpa_email_session *create(std::unique_ptr<MailClient> client, std::string user,
                                          std::chrono::milliseconds timeout, Reopener reopen = nullptr,
                                          std::unique_ptr<MessageSender> sender = nullptr);
   // The session's description as JSON (see email_session.h `info`).
   static std::string info_json(const rpa_email_session *session);

   // The object behind the mailbox interface (session/mailbox_entry_points.h).
   static EmailSessionObject *from(const rpa_email_mailbox *self);
   // The object behind the send interface (session/send_entry_points.h).
   static EmailSessionObject *from(const rpa_email_send *self);
   // The object behind the watch interface (session/watch_entry_points.h).
   static EmailSessionObject *from(const rpa_email_watch *self);

   // Runs `work(watcher, context)` inside the boundary guard but outside the session's lock (a
   // wait runs on its own connection, session/session_watcher.h), with a deadline of `wait` plus
   // the session's timeout; session_not_found once closed.
   using WatchWork = std::function<void(SessionWatcher &watcher, CallContext &context)>;
   rpa_status watch_call(const rpa_host_services *host, const rpa_text_sink *message,
                         std::chrono::milliseconds wait, const WatchWork &work);

   using Work = std::function<void(MailClient &client, CallContext &context)>;
   // Runs `work(client, context)` under the session's lock with one call deadline, inside the
   // boundary guard; session_not_found once closed. A call that finds the connection lost
   // reconnects once and runs `work` again, unless the work already handed bytes to its caller
   // (mark_output_started): that failure stands, and the next call reconnects.
   rpa_status call(const rpa_host_services *host, const rpa_text_sink *message, const Work &work);
   // Called by work that writes to a caller's sink as it goes (fetch_raw).
   void mark_output_started() { output_started_ = true; }

   // Runs `work(sender, context)` under the session's lock with one call deadline, inside the
   // boundary guard, never twice (the sender reconnects by its own rule, smtp/smtp_sender.h).
   // unsupported, saying what to set at Connect, when the session has no sender.
   using SendWork = std::function<void(MessageSender &sender, CallContext &context)>;
   rpa_status send_call(const rpa_host_services *host, const rpa_text_sink *message, const SendWork &work);
   // Within send_call: the address the session sends from when the message names none: its
   // mailbox, else its user, when that is an e-mail address; else "".
   std::string own_address() const;
   // Within send_call: what the mailbox can do (append: whether a copy can be saved).
   const MailboxCapabilities &mailbox_can() const { return mailbox_can_; }
   // Within send_call: stores `message` (read from its start, in chunks) in the folder with role
   // "sent", reconnecting the mailbox once when its connection was lost. Throws Failure
   // (folder_not_found when there is none).
   Appended save_sent_copy(const ComposedMessage &message, CallContext &context);
   // Within send_call: the raw message `ref` (reply, forward) to `sink`, reconnecting the mailbox
   // once when its connection was lost before any byte came. Throws Failure.
   void fetch_original(const std::string &ref, const ByteSink &sink, CallContext &context);
   // Within send_call: records that `ref` was answered (Mailbox::mark_answered), reconnecting the
   // mailbox once when its connection was lost. Throws Failure.
   void mark_answered(const std::string &ref, Answered how, CallContext &context);

 private:
   // Runs `work(mailbox)` on the session's mailbox, once more on a new connection when the first
   // try lost it (and the session can reconnect).
   void on_mailbox(CallContext &context, const std::function<void(Mailbox &)> &work);
   EmailSessionObject(std::unique_ptr<MailClient> client, std::string user, std::chrono::milliseconds timeout,
                      Reopener reopen, std::unique_ptr<MessageSender> sender);
   ~EmailSessionObject();
   static EmailSessionObject *from(const rpa_email_session *self);
   static EmailSessionObject *from(const rpa_session_handle *self);

   static void retain(const rpa_session_handle *self);
   static void release(const rpa_session_handle *self);
   static rpa_status info(const rpa_email_session *self, const rpa_text_sink *out_json);
   static rpa_status noop(const rpa_email_session *self, const rpa_host_services *host,
                          const rpa_text_sink *message);
   static rpa_status list_folders(const rpa_email_session *self, const rpa_host_services *host,
                                  const rpa_text_sink *out_json, const rpa_text_sink *message);
   static rpa_status close(const rpa_email_session *self, const rpa_host_services *host,
                           const rpa_text_sink *message);

   static const rpa_session_handle *query_interface(const rpa_session_handle *self,
                                                    const char *interface_name, unsigned min_revision);

   // Replaces the lost client with a new one from reopen_ (caller holds mutex_). Throws the
   // reopening's failure, saying the connection was lost first. (email_session_renewal.cpp)
   void reconnect(const std::string &lost, CallContext &context);
   // Whether `failure` (message_not_found) may only mean that the message came after the
   // connection opened, on a mailbox that sees new mail on a new connection only (POP3: a wait
   // announced it); then renew_view says goodbye (POP3's QUIT carries out the deletions asked
   // for) and signs in anew, and the call runs once more. Caller holds mutex_.
   bool shows_stale_view(const Failure &failure);
   void renew_view(CallContext &context);

   std::string describe() const;  // JSON; caller holds mutex_
   // A call's timeout context; throws session_not_found once closed. Caller holds mutex_.
   CallContext open_call(const HostServices &host) const;
   void snapshot();  // keeps what info shows after the client is gone

   rpa_email_session interface_{};
   rpa_email_mailbox mailbox_interface_{};  // the same object as "email.mailbox/1"
   rpa_email_send send_interface_{};        // and as "email.send/2" (answers /1 too)
   rpa_email_watch watch_interface_{};      // and as "email.watch/1"
   std::unique_ptr<SessionWatcher> watcher_;
   std::unique_ptr<MessageSender> sender_;
   bool output_started_ = false;
   std::atomic<int> references_{1};
   std::mutex mutex_;
   std::unique_ptr<MailClient> client_;
   Reopener reopen_;
   unsigned reconnects_ = 0;
   std::string user_;
   std::chrono::milliseconds timeout_;
   // What info() shows; kept after close.
   std::string protocol_;
   ConnectionFacts facts_;
   std::vector<std::string> capabilities_;
   MailboxCapabilities mailbox_can_;
};

}  // namespace email
