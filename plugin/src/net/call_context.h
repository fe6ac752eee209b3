// CallContext: the one timeout policy for a call. Every wait on the network (connect, each read,
// each write, the TLS handshake) asks it how long it may still wait; it throws
// Failure(timeout) once the time since the last progress passes `timeout`, and
// Failure(cancelled) within `kCancelPollInterval` of the host asking to stop.
//
// "Progress" restarts the clock: the timeout bounds each wait for the server, not the whole
// conversation, so a long folder list on a slow link still completes.
#pragma once

#include <chrono>
#include <string>

#include "host/host_services.h"

namespace email {

class CallContext {
 public:
   using Clock = std::chrono::steady_clock;
   static constexpr std::chrono::milliseconds kCancelPollInterval{200};

   CallContext(const HostServices &host, std::chrono::milliseconds timeout, std::string server)
       : host_(host), timeout_(timeout), server_(std::move(server)) {
      progress();
   }

   const HostServices &host() const { return host_; }
   std::chrono::milliseconds timeout() const { return timeout_; }

   // Marks progress: the server answered; the next wait gets a full timeout.
   void progress() { deadline_ = Clock::now() + timeout_; }

   // Milliseconds the next poll() may block (<= kCancelPollInterval). Throws when cancelled or
   // out of time. `waiting_for` completes the timeout message: "... while waiting for <it>".
   int next_wait_ms(const char *waiting_for) const;

 private:
   const HostServices &host_;
   std::chrono::milliseconds timeout_;
   std::string server_;
   Clock::time_point deadline_;
};

}  // namespace email
