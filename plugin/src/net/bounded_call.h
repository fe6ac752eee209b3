// bounded_call: a library call that blocks with no timeout of its own and no way to stop it
// (Windows' SSPI asking a domain controller for a Kerberos ticket), made on a worker thread and
// waited for under the call's CallContext, so that it never outlasts `timeout_seconds`, nor a
// cancel by more than CallContext::kCancelPollInterval.
//
// When the wait ends first, the caller gets Failure(timeout) or Failure(cancelled) at once, and
// the worker runs on in the background: `work` must own what it uses (by value, or through a
// shared_ptr), never the caller's stack or the call's HostServices. Its result is then dropped on
// the worker (a SecretString is wiped there). An exception `work` throws reaches the caller as
// it was thrown.
//
// Every worker is joined: finished ones when the next bounded call starts, the rest at deinit by
// bounded_calls::stop(). A worker still running after kDrainWait keeps the plugin mapped
// (pin_plugin), as http_runtime::stop does for requests, since its code will still run.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "net/call_context.h"
#include "net/completion.h"

namespace email {

namespace bounded_calls {

// How long deinit waits for workers whose callers stopped waiting.
inline constexpr std::chrono::seconds kDrainWait{10};

// Runs `work` on a new worker thread (reaping finished ones first).
void start_worker(std::function<void()> work);
// Waits up to kDrainWait for every worker and joins them. Call from the plugin's deinit. Returns
// false when one was still running (the plugin then stays mapped).
bool stop();

}  // namespace bounded_calls

// Runs `work` on a worker and returns its result, or throws what it threw; throws Failure(timeout)
// when `context`'s deadline comes first ("<peer> did not answer within N seconds (timeout_seconds)
// while waiting for <waiting_for>"), Failure(cancelled) when the host cancels.
template <class Work>
auto bounded_call(const CallContext &context, const char *waiting_for, const std::string &peer, Work work)
    -> decltype(work()) {
   auto completion = std::make_shared<Completion<decltype(work())>>();
   context.next_wait_ms(waiting_for, peer);  // already out of time or cancelled: no worker
   bounded_calls::start_worker(
       [completion, work = std::move(work)]() mutable { completion->complete(work); });
   return completion->wait([&] { return context.next_wait_ms(waiting_for, peer); });
}

}  // namespace email
