// The BIO under every TLS connection (net/tls_socket_bio.h), over a real socket pair: a write to a
// peer that hung up fails without raising SIGPIPE (OpenSSL's own socket BIO, write(2), raises it and
// ends the host), a read that would block asks OpenSSL to retry, and the peer's end of stream is
// OpenSSL's EOF.
#include <doctest/doctest.h>
#include <openssl/bio.h>

#ifndef _WIN32
#  include <pthread.h>
#  include <signal.h>
#  include <time.h>
#endif

#include <string>

#include "net/sockets.h"
#include "net/tls_socket_bio.h"

using namespace email;

namespace {

struct SocketPair {
   int ends[2] = {-1, -1};
   SocketPair() { REQUIRE(sockets::socket_pair(ends)); }
   ~SocketPair() {
      sockets::close(ends[0]);
      sockets::close(ends[1]);
   }
   void hang_up_far_end() {
      sockets::close(ends[1]);
      ends[1] = -1;
   }
};

// Whether a SIGPIPE was raised on this thread while `work` ran. SIGPIPE is held back meanwhile (its
// default action would end the test run), then taken if it came. Windows has no SIGPIPE.
template <typename Work>
bool raises_sigpipe(Work work) {
#ifdef _WIN32
   work();
   return false;
#else
   sigset_t pipe, previous, pending;
   sigemptyset(&pipe);
   sigaddset(&pipe, SIGPIPE);
   pthread_sigmask(SIG_BLOCK, &pipe, &previous);
   work();
   sigemptyset(&pending);
   sigpending(&pending);
   const bool raised = sigismember(&pending, SIGPIPE) == 1;
   if (raised) {
      const timespec now{0, 0};
      sigtimedwait(&pipe, nullptr, &now);
   }
   pthread_sigmask(SIG_SETMASK, &previous, nullptr);
   return raised;
#endif
}

}  // namespace

TEST_SUITE("limits") {

TEST_CASE("TLS socket BIO: a write to a peer that hung up fails without SIGPIPE") {
   SocketPair pair;
   BIO *bio = new_tls_socket_bio(pair.ends[0]);
   REQUIRE(bio != nullptr);
   pair.hang_up_far_end();
   int written = 0;
   const bool raised = raises_sigpipe([&] {
      for (int i = 0; i < 4 && written >= 0; ++i) written = BIO_write(bio, "record", 6);
   });
   CHECK_FALSE(raised);
   CHECK(written < 0);
   CHECK_FALSE(BIO_should_retry(bio));  // a failure, not "try again"
   BIO_free(bio);
}

TEST_CASE("TLS socket BIO: reads what arrives, asks to retry when nothing has, and reports the end") {
   SocketPair pair;
   BIO *bio = new_tls_socket_bio(pair.ends[0]);
   REQUIRE(bio != nullptr);
   CHECK(BIO_get_fd(bio, nullptr) == pair.ends[0]);
   int fd = -1;
   BIO_get_fd(bio, &fd);
   CHECK(fd == pair.ends[0]);
   CHECK(BIO_flush(bio) == 1);

   REQUIRE(sockets::send(pair.ends[1], "hello", 5) == 5);
   pollfd entry = sockets::poll_entry(pair.ends[0], POLLIN);
   REQUIRE(sockets::poll(&entry, 1, 5000) == 1);
   char buffer[16];
   REQUIRE(BIO_read(bio, buffer, sizeof buffer) == 5);
   CHECK(std::string(buffer, 5) == "hello");

   CHECK(BIO_read(bio, buffer, sizeof buffer) < 0);  // the socket is non-blocking and empty
   CHECK(BIO_should_retry(bio));
   CHECK(BIO_should_read(bio));
   CHECK_FALSE(BIO_eof(bio));

   pair.hang_up_far_end();
   CHECK(BIO_read(bio, buffer, sizeof buffer) == 0);
   CHECK_FALSE(BIO_should_retry(bio));
   CHECK(BIO_eof(bio));
   BIO_free(bio);
}

TEST_CASE("TLS socket BIO: freeing it leaves the socket open for its owner") {
   SocketPair pair;
   BIO_free(new_tls_socket_bio(pair.ends[0]));
   CHECK(sockets::send(pair.ends[0], "x", 1) == 1);
}

}  // TEST_SUITE("limits")
