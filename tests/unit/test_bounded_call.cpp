// bounded_call (net/bounded_call.h): a call that blocks with no timeout of its own, made on a
// worker and waited for under the call's deadline and cancellation; the worker is joined later.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "net/bounded_call.h"
#include "util/failure.h"
#include "util/secret.h"

using namespace email;

namespace {

// A call that blocks until the test lets it go (a KDC that never answers, as far as the caller
// can tell). Shared with the worker, which may outlive the caller's wait.
struct Gate {
   std::mutex mutex;
   std::condition_variable opened;
   bool open = false;
   std::atomic<bool> finished{false};

   void wait() {
      std::unique_lock<std::mutex> lock(mutex);
      opened.wait(lock, [this] { return open; });
   }
   void let_go() {
      std::lock_guard<std::mutex> lock(mutex);
      open = true;
      opened.notify_all();
   }
};

rpa_status status_of(const std::function<void()> &call, std::string *message = nullptr) {
   try {
      call();
   } catch (const Failure &failure) {
      if (message) *message = failure.what();
      return failure.status();
   }
   return RPA_OK;
}

}  // namespace

TEST_SUITE("bounded call") {

TEST_CASE("the work's result and the work's own failure reach the caller as they were") {
   HostServices host(nullptr);
   CallContext context(host, std::chrono::seconds(30), "test");
   const std::thread::id caller = std::this_thread::get_id();
   std::thread::id worker;
   const SecretString token = bounded_call(context, "a token", "the KDC", [&worker] {
      worker = std::this_thread::get_id();
      return SecretString("Negotiate YIIB");
   });
   CHECK(token.view() == "Negotiate YIIB");
   const bool ran_on_a_worker = worker != caller;  // (a bool: MinGW cannot print a thread id)
   CHECK(ran_on_a_worker);

   std::string message;
   CHECK(status_of(
             [&] {
                bounded_call(context, "a token", "the KDC", []() -> int {
                   throw Failure(RPA_AUTHENTICATION_FAILED, "authentication failed: the password is wrong");
                });
             },
             &message) == RPA_AUTHENTICATION_FAILED);
   CHECK(message == "authentication failed: the password is wrong");
   CHECK_THROWS_AS(bounded_call(context, "a token", "the KDC", [] { throw std::length_error("x"); }),
                   std::length_error);
   CHECK(bounded_calls::stop());
}

TEST_CASE(
    "a call that outlasts timeout_seconds ends in timeout at the deadline; its worker is joined later") {
   HostServices host(nullptr);
   auto gate = std::make_shared<Gate>();
   const auto started = std::chrono::steady_clock::now();
   CallContext context(host, std::chrono::milliseconds(400),
                       "test");  // its deadline: 400 ms after `started` or later
   std::string message;
   CHECK(status_of(
             [&] {
                bounded_call(context, "a service ticket for HTTP/ews.contoso.test",
                             "the domain controller (Kerberos KDC) of CONTOSO.TEST", [gate] {
                                gate->wait();
                                gate->finished = true;
                             });
             },
             &message) == RPA_TIMEOUT);
   const auto waited = std::chrono::steady_clock::now() - started;
   CHECK(waited >= std::chrono::milliseconds(399));  // the deadline, to CallContext's millisecond
   CHECK(message ==
         "the domain controller (Kerberos KDC) of CONTOSO.TEST did not answer within 1 seconds "
         "(timeout_seconds) while waiting for a service ticket for HTTP/ews.contoso.test");
   CHECK_FALSE(gate->finished.load());  // still blocked: the caller did not wait for it
   gate->let_go();
   CHECK(bounded_calls::stop());  // joined it
   CHECK(gate->finished.load());
}

TEST_CASE("the host's cancel ends the wait; a call already out of time starts no worker") {
   rpa_host_services services{};
   services.struct_size = sizeof services;
   services.is_cancelled = [](void *) { return 1; };
   HostServices cancelling(&services);
   auto gate = std::make_shared<Gate>();
   CallContext context(cancelling, std::chrono::seconds(30), "test");
   std::atomic<int> ran{0};
   CHECK(status_of([&] { bounded_call(context, "a ticket", "the KDC", [&ran] { ++ran; }); }) ==
         RPA_CANCELLED);
   CHECK(ran.load() == 0);  // cancelled before it began

   HostServices host(nullptr);
   CallContext no_time(host, std::chrono::milliseconds(0), "test");
   CHECK(status_of([&] { bounded_call(no_time, "a ticket", "the KDC", [&ran] { ++ran; }); }) == RPA_TIMEOUT);
   CHECK(ran.load() == 0);
   CHECK(bounded_calls::stop());
}

}  // TEST_SUITE("bounded call")
