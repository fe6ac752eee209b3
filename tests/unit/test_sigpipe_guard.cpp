// SigpipeGuard (net/sigpipe_guard.h): a write to a peer that hung up raises no SIGPIPE. Linux only:
// Windows has no SIGPIPE (a send to a closed peer fails with an error), and the guard is empty there.
#include <doctest/doctest.h>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "net/sigpipe_guard.h"

TEST_SUITE("limits") {

TEST_CASE("a write to a peer that hung up raises no SIGPIPE through the guard") {
   // A write(2) to a closed pipe; without the guard this kills the process (SIGPIPE's default).
   struct sigaction previous {};
   struct sigaction default_action {};
   default_action.sa_handler = SIG_DFL;
   sigaction(SIGPIPE, &default_action, &previous);
   int ends[2];
   REQUIRE(::pipe(ends) == 0);
   ::close(ends[0]);
   ssize_t written = 0;
   {
      email::SigpipeGuard guard;
      written = ::write(ends[1], "x", 1);
   }
   ::close(ends[1]);
   CHECK(written == -1);
   sigset_t pending;
   sigemptyset(&pending);
   sigpending(&pending);
   CHECK_FALSE(sigismember(&pending, SIGPIPE));
   sigaction(SIGPIPE, &previous, nullptr);
}

TEST_CASE("nested guards: the outer one holds the signal back until it ends, then the mask is as before") {
   struct sigaction previous {};
   struct sigaction default_action {};
   default_action.sa_handler = SIG_DFL;
   sigaction(SIGPIPE, &default_action, &previous);
   sigset_t before;
   pthread_sigmask(SIG_SETMASK, nullptr, &before);
   int ends[2];
   REQUIRE(::pipe(ends) == 0);
   ::close(ends[0]);
   ssize_t written = 0;
   bool blocked_after_inner = false;
   {
      email::SigpipeGuard outer;
      {
         email::SigpipeGuard inner;
         written = ::write(ends[1], "x", 1);
      }
      // The inner guard left the signal to the outer one: still blocked (a SIGPIPE raised now
      // would otherwise end this test process).
      sigset_t now;
      pthread_sigmask(SIG_SETMASK, nullptr, &now);
      blocked_after_inner = sigismember(&now, SIGPIPE);
      ::write(ends[1], "y", 1);
   }
   ::close(ends[1]);
   CHECK(written == -1);
   CHECK(blocked_after_inner);
   sigset_t pending, after;
   sigemptyset(&pending);
   sigpending(&pending);
   CHECK_FALSE(sigismember(&pending, SIGPIPE));
   pthread_sigmask(SIG_SETMASK, nullptr, &after);
   CHECK(sigismember(&after, SIGPIPE) == sigismember(&before, SIGPIPE));
   sigaction(SIGPIPE, &previous, nullptr);
}

}  // TEST_SUITE("limits")
