#include "cancel_signal.h"

namespace rpa_host {

void CancelSignal::cancel() {
   std::lock_guard<std::mutex> lock(mutex_);
   flag_ = true;
   for (const auto &[token, subscriber] : subscribers_) subscriber.notify(subscriber.context);
   subscribers_.clear();  // each is told once
}

std::uint64_t CancelSignal::subscribe(void (*notify)(void *context), void *context) {
   if (!notify) return 0;
   std::lock_guard<std::mutex> lock(mutex_);
   const std::uint64_t token = next_token_++;
   if (flag_)
      notify(context);  // already cancelled: at once, and nothing to remember
   else
      subscribers_[token] = {notify, context};
   return token;
}

void CancelSignal::unsubscribe(std::uint64_t token) {
   std::lock_guard<std::mutex> lock(mutex_);
   subscribers_.erase(token);
}

}  // namespace rpa_host
