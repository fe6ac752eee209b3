#include "mailbox/signalled_listener.h"

#include "net/sockets.h"

namespace email {

bool SignalledListener::wait(std::chrono::milliseconds wait, std::chrono::milliseconds poll,
                             const std::function<bool()> &stop, CallContext &context) {
   using Clock = std::chrono::steady_clock;
   const auto until = Clock::now() + std::min(wait, poll);
   for (;;) {
      // Cleared before it is asked, so a ring between the two still wakes the next poll.
      signal_->wakeup().clear();
      if (signal_->take()) return true;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() <= 0 || stop()) return false;
      const int step = context.idle_wait_ms(who_.c_str(), context.server(), left);
      if (signal_->wakeup().fd() < 0) {  // no socket pair: asked again after the step
         context.idle_sleep(std::chrono::milliseconds(step), who_.c_str());
         continue;
      }
      pollfd entries[2] = {sockets::poll_entry(signal_->wakeup().fd(), POLLIN),
                           sockets::poll_entry(context.wake_fd(), POLLIN)};
      sockets::poll(entries, context.wake_fd() >= 0 ? 2 : 1, step);
   }
}

}  // namespace email
