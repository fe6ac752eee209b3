// SessionWatcher: the waits for new mail of one session ("email.watch/1", rpa/ext/email_watch.h)
// on a connection of their own, so the session's other calls go on meanwhile. The connection is
// opened on the first wait (with the session's Connect credentials) and kept for the next; it is
// dropped after a wait that failed or was stopped (an IDLE may be half-ended) and opened anew by
// the next, and after every look on a mailbox that sees new mail on a new connection only (POP3),
// which sleeps between looks without one. A mailbox without a connection of the wait's own (the HTTP
// services) is polled, or told of changes where its server can (Mailbox::listen: EWS's streaming
// notifications, waited on outside the session's lock). Waits on one session take turns. A wait sleeps until the
// server speaks, its time is up, the host cancels or the session closes: without waking every
// second when the host signals its cancel ("rpa.cancel-signal/1"), polling it otherwise.
#pragma once

#include <atomic>
#include <cstdint>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "mailbox/mailbox.h"
#include "net/cancel_alarm.h"
#include "session/mail_client.h"

namespace email {

class SessionWatcher {
 public:
   // Opens a connection of the wait's own, or returns null when the session keeps no way to (the
   // HTTP services, whose sessions keep no secrets: every look then borrows the session's client
   // through `borrow`, which runs `work` on its mailbox under the session's lock).
   using Opener = std::function<std::unique_ptr<MailClient>(CallContext &context)>;
   using Borrower =
       std::function<void(const std::function<void(Mailbox &mailbox)> &work, CallContext &context)>;
   SessionWatcher(Opener open, Borrower borrow) : open_(std::move(open)), borrow_(std::move(borrow)) {}

   struct Request {
      std::string folder;
      std::string cursor;  // "" = from now
      SearchQuery filter;
      std::chrono::milliseconds wait{0};
      std::chrono::milliseconds poll{0};         // how often a server that cannot announce new mail is
                                                 // asked; 0: the mailbox's own (MailboxCapabilities)
      std::chrono::milliseconds renew{1500000};  // IDLE renewed this often (25 minutes)
   };
   // What arrived after the cursor as soon as something did, or nothing once `wait` passed. A
   // connection lost on the way is opened again and the wait catches up from the cursor (not
   // twice within 10 seconds: then the failure stands). Throws Failure: cancelled when the host
   // cancels or the session closes (within a second), and the backend's failures.
   Arrivals wait(Request request, CallContext &context);
   // The session closed: a wait in progress ends within a second (at once when it sleeps on its
   // alarm), later ones at once.
   void close();

   // What the waits cost so far (the session's info, "waiting"): looks for new mail, connections
   // opened for them (EWS's streams included), and the bytes of those connections (IDLE and its
   // renewals, the streamed events; a look borrowed from an HTTP session counts in the session's
   // own bytes). Any thread.
   struct Tally {
      std::uint64_t looks = 0, connections = 0, bytes_sent = 0, bytes_received = 0;
   };
   Tally tally() const { return {looks_.load(), connections_.load(), sent_.load(), received_.load()}; }

 private:
   Opener open_;
   Borrower borrow_;
   std::atomic<bool> closed_{false};
   // Publishes the bytes of the connections so far (caller holds mutex_).
   void count_bytes();
   // Ends the wait's connection (saying goodbye when `logout`), its bytes counted first.
   void drop_client(CallContext &context, bool logout);
   // Ends the listener's connection (Mailbox::listen), its bytes counted first.
   void drop_listener();

   // The alarm of the wait in progress (net/cancel_alarm.h): a host that offers the cancel signal
   // rings it, and so does close(); the wait sleeps on it between looks and during IDLE.
   std::mutex alarm_mutex_;
   CancelAlarm *alarm_ = nullptr;
   // Arms `alarm` for one wait: the context sleeps on it and close() rings it; undone when it goes.
   class ArmedAlarm {
    public:
      ArmedAlarm(SessionWatcher &watcher, CancelAlarm &alarm, CallContext &context);
      ~ArmedAlarm();
      ArmedAlarm(const ArmedAlarm &) = delete;
      ArmedAlarm &operator=(const ArmedAlarm &) = delete;

    private:
      SessionWatcher &watcher_;
      CallContext &context_;
      int before_;  // the context's wake_fd() before
   };

   std::mutex mutex_;  // one wait at a time; guards client_, listener_ and closed_stats_
   std::unique_ptr<MailClient> client_;
   std::unique_ptr<ChangeListener> listener_;  // of the wait in progress (EWS's stream), or null
   TransportStats closed_stats_;               // of the connections dropped
   std::atomic<std::uint64_t> looks_{0}, connections_{0}, sent_{0}, received_{0};
};

}  // namespace email
