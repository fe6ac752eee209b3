#include "net/call_context.h"

#include <algorithm>
#include <thread>

#include "net/sockets.h"
#include "util/failure.h"

namespace email {

std::chrono::milliseconds CallContext::remaining() const {
   auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
   return std::max(left, std::chrono::milliseconds(0));
}

int CallContext::next_wait_ms(const char *waiting_for, const std::string &peer) const {
   if (host_.cancelled())
      throw Failure(RPA_CANCELLED,
                    "cancelled while waiting for " + std::string(waiting_for) + " from " + peer);
   auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
   if (left.count() <= 0)
      throw Failure(RPA_TIMEOUT, peer + " did not answer within " +
                                     std::to_string(std::max<long long>(1, timeout_.count() / 1000)) +
                                     " seconds (timeout_seconds) while waiting for " + waiting_for);
   return static_cast<int>(std::max<long long>(1, std::min(left, cancel_poll_).count()));
}

int CallContext::idle_wait_ms(const char *waiting_for, const std::string &peer,
                              std::chrono::milliseconds at_most) const {
   const int polled = next_wait_ms(waiting_for, peer);  // throws when cancelled or out of time
   if (wake_fd_ < 0)
      return static_cast<int>(std::min<long long>(polled, std::max<long long>(1, at_most.count())));
   const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
   return static_cast<int>(std::max<long long>(1, std::min(left, at_most).count()));
}

bool CallContext::idle_sleep(std::chrono::milliseconds wait, const char *waiting_for) const {
   const int step = idle_wait_ms(waiting_for, server_, wait);
   if (wake_fd_ < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(step));
      return false;
   }
   pollfd entry = sockets::poll_entry(wake_fd_, POLLIN);
   return sockets::poll(&entry, 1, step) > 0;
}

void CallContext::pause(std::chrono::milliseconds wait, const char *waiting_for) const {
   const auto until = Clock::now() + wait;
   while (Clock::now() < until) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(next_wait_ms(waiting_for))));
   }
}

}  // namespace email
