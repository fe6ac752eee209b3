#include "session/session_watcher.h"

#include <algorithm>

#include "util/failure.h"

namespace email {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds until(Clock::time_point end) {
   return std::max(std::chrono::milliseconds(0),
                   std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()));
}

}  // namespace

SessionWatcher::ArmedAlarm::ArmedAlarm(SessionWatcher &watcher, CancelAlarm &alarm, CallContext &context)
    : watcher_(watcher), context_(context), before_(context.wake_fd()) {
   if (alarm.fd() < 0) {
      context.host().debug(
          "waiting for new mail: the host offers no cancel signal; its cancel is asked about "
          "every second");
      return;
   }
   context.host().debug(
       "waiting for new mail: the host's cancel signal (rpa.cancel-signal/1) wakes this wait");
   context.wake_on(alarm.fd());
   std::lock_guard<std::mutex> lock(watcher.alarm_mutex_);
   watcher.alarm_ = &alarm;
   if (watcher.closed_) alarm.ring();  // closed before the alarm was armed
}

SessionWatcher::ArmedAlarm::~ArmedAlarm() {
   context_.wake_on(before_);
   std::lock_guard<std::mutex> lock(watcher_.alarm_mutex_);
   watcher_.alarm_ = nullptr;
}

Arrivals SessionWatcher::wait(Request request, CallContext &context) {
   const auto closed = [this] { return closed_.load(); };
   std::unique_lock<std::mutex> turn(mutex_, std::try_to_lock);
   while (!turn.owns_lock()) {  // another wait on this session runs: take turns, cancellably
      if (closed()) throw Failure(RPA_CANCELLED, "the session was disconnected while it waited for new mail");
      context.pause(std::chrono::milliseconds(100), "another wait for new mail on this session");
      turn.try_lock();
   }
   // The alarm: the idle waits below sleep on it (when the host signals its cancel) instead of
   // waking every cancel poll interval. Restored and unregistered however the wait ends.
   CancelAlarm alarm(context.host());
   const ArmedAlarm armed(*this, alarm, context);
   const auto end = Clock::now() + request.wait;
   Clock::time_point last_reconnect{};
   bool borrowing = false;  // every look on the session's own client (HTTP services)
   const auto poll_of = [&request](const Mailbox &mailbox) -> std::chrono::milliseconds {
      return request.poll.count() > 0 ? request.poll
                                      : std::chrono::seconds(mailbox.capabilities().poll_seconds);
   };
   for (;;) {
      if (closed()) {
         drop_listener();
         drop_client(context, false);
         throw Failure(RPA_CANCELLED, "the session was disconnected while it waited for new mail");
      }
      try {
         if (!client_ && !borrowing) {
            client_ = open_(context);
            borrowing = client_ == nullptr;
            if (client_) ++connections_;
         }
         MailboxCapabilities can;
         Arrivals found;
         const auto look = [&](Mailbox &mailbox) {
            can = mailbox.capabilities();
            found = mailbox.arrivals(request.folder, request.cursor, request.filter, context);
         };
         if (borrowing)
            borrow_(
                [&](Mailbox &mailbox) {
                   // Listening starts before the look, so that what arrives in between is told.
                   if ((!listener_ || !listener_->open()) && until(end).count() > 0) {
                      drop_listener();
                      listener_ = mailbox.listen(request.folder, until(end), poll_of(mailbox), context);
                      if (listener_) ++connections_;
                   }
                   look(mailbox);
                },
                context);
         else
            look(client_->mailbox());
         ++looks_;
         const std::chrono::milliseconds poll =
             request.poll.count() > 0 ? request.poll : std::chrono::seconds(can.poll_seconds);
         if (client_ && can.sees_new_mail_on_new_connection_only)  // the next look needs a new one (POP3)
            drop_client(context, true);
         count_bytes();
         if (!found.messages.empty() || found.cursor_reset || until(end).count() == 0) {
            drop_listener();
            return found;
         }
         request.cursor = found.cursor;
         if (client_) {
            client_->mailbox().wait_for_change(request.folder, std::min(until(end), request.renew), poll,
                                               closed, context);
            count_bytes();
         } else if (listener_) {  // told, outside the session's lock
            listener_->wait(std::min(until(end), request.renew), poll, closed, context);
            count_bytes();
         } else  // polled without a connection of its own
            Mailbox::sleep_until_next_look(std::min(until(end), poll), closed, context);
      } catch (const Failure &failure) {
         drop_listener();
         drop_client(context, false);  // an IDLE may be half-ended: the next try opens anew
         if (failure.status() != RPA_CONNECTION_FAILED ||
             Clock::now() - last_reconnect < std::chrono::seconds(10))
            throw;
         last_reconnect = Clock::now();
         context.host().info(std::string("waiting for new mail: the connection was lost (") + failure.what() +
                             "); reconnecting, and catching up from the cursor");
      }
   }
}

void SessionWatcher::close() {
   closed_ = true;
   std::lock_guard<std::mutex> lock(alarm_mutex_);
   if (alarm_) alarm_->ring();
}

void SessionWatcher::drop_listener() {
   if (!listener_) return;
   closed_stats_ += listener_->stats();
   listener_.reset();
   count_bytes();
}

void SessionWatcher::count_bytes() {
   TransportStats all = closed_stats_;
   if (client_) all += client_->facts().stats;
   if (listener_) all += listener_->stats();
   sent_ = all.bytes_sent;
   received_ = all.bytes_received;
}

void SessionWatcher::drop_client(CallContext &context, bool logout) {
   if (!client_) return;
   if (logout) client_->logout(context);
   closed_stats_ += client_->facts().stats;
   client_.reset();
   count_bytes();
}

}  // namespace email
