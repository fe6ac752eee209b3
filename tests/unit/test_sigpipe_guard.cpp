// SigpipeGuard (net/sigpipe_guard.h): a write to a peer that hung up raises no SIGPIPE. Linux only:
// Windows has no SIGPIPE (a send to a closed peer fails with an error), and the guard is empty there.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include "net/sigpipe_guard.h"

TEST_SUITE("limits") {

TEST_CASE("a write to a peer that hung up raises no SIGPIPE through the guard") {
   // OpenSSL writes with write(2); without the guard this kills the process (SIGPIPE's default).
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

}  // TEST_SUITE("limits")
