// CancelSignal: the host's side of "rpa.cancel-signal/1" (rpa/ext/cancel_signal.h). It owns nothing
// but the subscriptions: the flag it raises is the one the services table's is_cancelled reads, so
// a plugin that polls and a plugin that subscribed both see the same cancel. cancel() is for a
// thread (a test, a console handler that runs on a thread of its own); a POSIX signal handler may
// only set the flag, which plugins then see by polling.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>

namespace rpa_host {

class CancelSignal {
 public:
   explicit CancelSignal(std::atomic<bool> &flag) : flag_(flag) {}
   CancelSignal(const CancelSignal &) = delete;
   CancelSignal &operator=(const CancelSignal &) = delete;

   // Raises the flag and calls every subscriber's notify, each once. Any thread.
   void cancel();
   // Lowers the flag (the next action runs uncancelled).
   void reset() { flag_ = false; }

   // The extension's two functions: see rpa/ext/cancel_signal.h. notify runs under this object's
   // lock, so unsubscribe waits for a notify in progress.
   std::uint64_t subscribe(void (*notify)(void *context), void *context);
   void unsubscribe(std::uint64_t token);

 private:
   struct Subscriber {
      void (*notify)(void *context);
      void *context;
   };
   std::atomic<bool> &flag_;
   std::mutex mutex_;
   std::map<std::uint64_t, Subscriber> subscribers_;
   std::uint64_t next_token_ = 1;
};

}  // namespace rpa_host
