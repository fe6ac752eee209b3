#include "net/call_context.h"

#include <algorithm>
#include <thread>

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

void CallContext::pause(std::chrono::milliseconds wait, const char *waiting_for) const {
   const auto until = Clock::now() + wait;
   while (Clock::now() < until) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(next_wait_ms(waiting_for))));
   }
}

}  // namespace email
