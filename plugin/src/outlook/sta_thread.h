// StaThread: the one thread that makes every COM call of an Outlook session. Outlook's object
// model is single-threaded (an STA server): its objects belong to the apartment that got them, and
// a thread in an STA must pump window messages while it waits for Outlook. So each session owns
// one thread, initialized as an STA with a message loop and a message filter (busy Outlook is
// retried, outlook/com_dispatch.h), and every call of the session, from whichever host thread, is
// carried to it with run() and waited for under the call's CallContext (timeout_seconds, cancel).
//
// When the wait ends first (Outlook hung, a dialog open past the deadline), run() throws
// Failure(timeout) or Failure(cancelled) at once; the task finishes later on the STA thread and its
// result is dropped there, and its busy retries stop. Tasks run one at a time, in order. The
// thread is a bounded_calls worker: deinit joins it (net/bounded_call.h).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "net/call_context.h"
#include "net/completion.h"

namespace email {

class StaThread {
 public:
   // Starts the thread (CoInitializeEx(COINIT_APARTMENTTHREADED), CoRegisterMessageFilter).
   // Throws Failure(internal) when COM cannot be initialized there.
   StaThread();
   // Runs `last` (releasing the session's COM objects) as the final task, then ends the thread's
   // apartment. Waits for a running task no longer than kLastTaskWait.
   void stop(std::function<void()> last);
   ~StaThread();
   StaThread(const StaThread &) = delete;
   StaThread &operator=(const StaThread &) = delete;

   static constexpr std::chrono::seconds kLastTaskWait{5};

   // Runs `work` on the STA thread and returns its result, or rethrows what it threw.
   // `waiting_for` completes a timeout's message ("... while waiting for Outlook to open the
   // folder"). `work` must own what it uses (it may outlive the caller's wait).
   template <class Work>
   auto run(const CallContext &context, const char *waiting_for, Work work) -> decltype(work()) {
      struct Posted {
         Completion<decltype(work())> completion;
         std::atomic<bool> abandoned{false};
      };
      auto posted = std::make_shared<Posted>();
      context.next_wait_ms(waiting_for);  // out of time or cancelled already: nothing posted
      post(std::chrono::steady_clock::now() + context.remaining(), &posted->abandoned,
           [posted, work = std::move(work)]() mutable { posted->completion.complete(work); });
      try {
         return posted->completion.wait([&] { return context.next_wait_ms(waiting_for); });
      } catch (...) {
         posted->abandoned = true;  // its busy retries end; its result is dropped
         throw;
      }
   }

 private:
   struct Shared;
   // The thread's body: the apartment, its message loop, the tasks.
   static void run_apartment(Shared &shared);
   // Queues `task` for the thread; its busy retries end at `deadline` or when `abandoned` is set.
   void post(std::chrono::steady_clock::time_point deadline, const std::atomic<bool> *abandoned,
             std::function<void()> task);
   std::shared_ptr<Shared> shared_;
};

}  // namespace email
