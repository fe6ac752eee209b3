// Completion: the outcome of work done on another thread, handed to the thread that waits for it
// under a CallContext (timeout_seconds, the host's cancel). bounded_call (net/bounded_call.h) and
// the Outlook session's STA thread (outlook/sta_thread.h) both hand work over this way.
//
// Shared by the two threads (hold it in a shared_ptr): the worker calls complete(work), which runs
// `work` and keeps its result or the exception it threw; the waiter calls wait(next_wait_ms),
// which returns that result or rethrows that exception, and which throws what `next_wait_ms`
// throws (the context's timeout or cancellation) when the wait ends first. The result is then
// dropped with the last reference, on whichever thread lets go last.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

namespace email {

template <class Result>
class Completion {
 public:
   // On the worker: runs `work` and wakes the waiter.
   template <class Work>
   void complete(Work &work) {
      std::optional<Stored> result;
      std::exception_ptr error;
      try {
         if constexpr (std::is_void_v<Result>) {
            work();
            result.emplace(true);
         } else {
            result.emplace(work());
         }
      } catch (...) {
         error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex_);
      result_ = std::move(result);
      error_ = error;
      done_ = true;
      finished_.notify_all();
   }

   // On the waiter: waits in slices of `next_wait_ms()` milliseconds (CallContext::next_wait_ms,
   // which throws at the deadline or on cancel) until the work is done.
   template <class NextWait>
   Result wait(NextWait next_wait_ms) {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!done_) finished_.wait_for(lock, std::chrono::milliseconds(next_wait_ms()));
      if (error_) std::rethrow_exception(error_);
      if constexpr (!std::is_void_v<Result>) return std::move(*result_);
   }

 private:
   using Stored = std::conditional_t<std::is_void_v<Result>, bool, Result>;
   std::mutex mutex_;
   std::condition_variable finished_;
   bool done_ = false;
   std::optional<Stored> result_;
   std::exception_ptr error_;
};

}  // namespace email
