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
         cancel_poll_(parent.cancel_poll_) {}

   // How often a wait asks the host whether it cancelled (default kCancelPollInterval). A wait
   // that idles for minutes (email.watch/1) asks less often, still within a second, so an idle
   // wait costs next to nothing. Parts made from this context inherit it.
   void poll_cancel_every(std::chrono::milliseconds interval) { cancel_poll_ = interval; }

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
};

}  // namespace email
