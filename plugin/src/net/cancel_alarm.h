// CancelAlarm: for the span of one long call (a wait for new mail), a Wakeup that rings when the
// host cancels (the host extension "rpa.cancel-signal/1", rpa/ext/cancel_signal.h) or when the
// plugin itself rings it (the session was disconnected). A context told to wake on it
// (CallContext::wake_on) then sleeps in its idle waits until something happens instead of waking
// every second to poll is_cancelled. Without the extension, or without a socket pair, fd() is -1
// and the call polls as before.
#pragma once

#include <cstdint>

#include "host/host_services.h"
#include "net/wakeup.h"

namespace email {

class CancelAlarm {
 public:
   explicit CancelAlarm(const HostServices &host);
   ~CancelAlarm();  // unsubscribes: the host no longer calls back once it returns
   CancelAlarm(const CancelAlarm &) = delete;
   CancelAlarm &operator=(const CancelAlarm &) = delete;

   int fd() const { return token_ ? wakeup_.fd() : -1; }
   void ring() { wakeup_.signal(); }

 private:
   static void notify(void *self) { static_cast<CancelAlarm *>(self)->ring(); }

   const HostServices &host_;
   Wakeup wakeup_;
   std::uint64_t token_ = 0;  // 0: not subscribed
};

}  // namespace email
