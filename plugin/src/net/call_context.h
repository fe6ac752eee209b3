// CallContext: the one timeout policy for a call. Every wait on the network (DNS, connect, each
// read, each write, the TLS handshake, each HTTP request) asks it how long it may still wait; it
// throws Failure(timeout) once the call's deadline has passed, and Failure(cancelled) within
// `kCancelPollInterval` of the host asking to stop.
//
// The deadline is fixed when the call starts: `timeout` bounds the whole call (Connect: DNS, TCP,
// TLS, greeting, login, first command; a session call: that call), however the server trickles
// its bytes. Received bytes never extend it. A narrower context (one address of several, a
// diagnosis) takes a share of the time left and never outlives its parent's deadline.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>

#include "host/host_services.h"

namespace email {

class CallContext {
 public:
   using Clock = std::chrono::steady_clock;
   static constexpr std::chrono::milliseconds kCancelPollInterval{200};

   // `server` names the peer in messages ("imap.example.com:993", an https URL).
   CallContext(const HostServices &host, std::chrono::milliseconds timeout, std::string server)
       : host_(host), timeout_(timeout), server_(std::move(server)), deadline_(Clock::now() + timeout) {}
   // A part of `parent`: at most `budget`, never past the parent's deadline, cancelled with it.
   CallContext(const CallContext &parent, std::chrono::milliseconds budget, std::string server)
       : host_(parent.host_),
         timeout_(parent.timeout_),
         server_(std::move(server)),
         deadline_(std::min(parent.deadline_, Clock::now() + budget)),
         cancel_poll_(parent.cancel_poll_),
         wake_fd_(parent.wake_fd_) {}

   // How often a wait asks the host whether it cancelled (default kCancelPollInterval). A wait
   // that idles for minutes (email.watch/1) asks less often, still within a second, so an idle
   // wait costs next to nothing. Parts made from this context inherit it.
   void poll_cancel_every(std::chrono::milliseconds interval) { cancel_poll_ = interval; }

   // Idle waits (a server's silence during IDLE, the sleep between looks for new mail) also end
   // when `fd` turns readable: a CancelAlarm's (net/cancel_alarm.h), rung when the host cancels or
   // the session closes. They then sleep as long as they are meant to, not in steps of the cancel
   // poll interval. -1 (the default): they poll. Parts made from this context inherit it.
   void wake_on(int fd) { wake_fd_ = fd; }
   int wake_fd() const { return wake_fd_; }
   // How long an idle loop may sleep, of the `left` it has, before it looks at its own reasons to
   // stop: all of it when wake_fd() will end the sleep, else the cancel poll interval.
   std::chrono::milliseconds idle_step(std::chrono::milliseconds left) const {
      return wake_fd_ >= 0 ? left : std::min(left, cancel_poll_);
   }
   // Milliseconds the next poll() of an idle wait may block, at most `at_most`: as next_wait_ms,
   // but past the cancel poll interval when wake_fd() is set (the poll must then include it).
   int idle_wait_ms(const char *waiting_for, const std::string &peer,
                    std::chrono::milliseconds at_most) const;
   // Sleeps up to `wait` in an idle wait, throwing like next_wait_ms. Returns true when it ended
   // early because wake_fd() turned readable (it stays so); without wake_fd(), sleeps at most the
   // cancel poll interval and returns false.
   bool idle_sleep(std::chrono::milliseconds wait, const char *waiting_for) const;

   const HostServices &host() const { return host_; }
   // The whole call's timeout (timeout_seconds), for messages and library settings.
   std::chrono::milliseconds timeout() const { return timeout_; }
   // Time left until the deadline (zero or more).
   std::chrono::milliseconds remaining() const;
   const std::string &server() const { return server_; }

   // Milliseconds the next poll() may block (1..the cancel poll interval). Throws when cancelled or
   // out of time. `waiting_for` completes the message: "... while waiting for <it>"; `peer`
   // names who was waited for when it is not the call's server (an https URL, say).
   int next_wait_ms(const char *waiting_for) const { return next_wait_ms(waiting_for, server_); }
   int next_wait_ms(const char *waiting_for, const std::string &peer) const;

   // Sleeps `wait` (a server's Retry-After, a back-off) in steps of at most kCancelPollInterval,
   // throwing like next_wait_ms when cancelled or when the deadline comes first.
   void pause(std::chrono::milliseconds wait, const char *waiting_for) const;

 private:
   const HostServices &host_;
   std::chrono::milliseconds timeout_;
   std::string server_;
   Clock::time_point deadline_;
   std::chrono::milliseconds cancel_poll_ = kCancelPollInterval;
   int wake_fd_ = -1;
};

}  // namespace email
