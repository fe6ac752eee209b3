// Connecting to a list of addresses: one that swallows the handshake must not use up the time
// of the others. The "blackhole" is a real listener whose accept queue is full, so the kernel
// drops further handshakes as a dead route would.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "net/transport.h"
#include "util/failure.h"

using namespace email;

namespace {

struct Listener {
   int fd = -1;
   int port = 0;
   std::vector<int> fillers;
   explicit Listener(int backlog) {
      fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in address = loopback(0);
      REQUIRE(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
      REQUIRE(::listen(fd, backlog) == 0);
      socklen_t length = sizeof address;
      ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
      port = ntohs(address.sin_port);
   }
   ~Listener() {
      for (int filler : fillers) ::close(filler);
      ::close(fd);
   }
   static sockaddr_in loopback(int port) {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<uint16_t>(port));
      return address;
   }
   ResolvedAddress resolved() const {
      ResolvedAddress resolved;
      sockaddr_in address = loopback(port);
      std::memcpy(&resolved.address, &address, sizeof address);
      resolved.length = sizeof address;
      resolved.family = AF_INET;
      return resolved;
   }
   // Fills the accept queue until a new handshake no longer completes.
   bool make_blackhole() {
      for (int i = 0; i < 16; ++i) {
         int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
         sockaddr_in address = loopback(port);
         ::connect(client, reinterpret_cast<sockaddr *>(&address), sizeof address);
         fillers.push_back(client);
         pollfd pfd{client, POLLOUT, 0};
         if (::poll(&pfd, 1, 300) == 0) return true;  // this handshake hangs: the queue is full
      }
      return false;
   }
   bool has_pending_connection() const {
      pollfd pfd{fd, POLLIN, 0};
      return ::poll(&pfd, 1, 0) == 1;
   }
};

}  // namespace

TEST_SUITE("net") {

TEST_CASE("an address that swallows the handshake yields to the next one") {
   Listener blackhole(0), good(16);
   if (!blackhole.make_blackhole()) {
      MESSAGE("this kernel does not drop handshakes on a full accept queue; nothing to test");
      return;
   }
   HostServices host(nullptr);
   CallContext context(host, std::chrono::seconds(4), "test");
   auto transport = Transport::connect_any({blackhole.resolved(), good.resolved()}, "127.0.0.1",
                                           static_cast<std::uint16_t>(good.port), context);
   REQUIRE(transport);
   CHECK(good.has_pending_connection());
}

TEST_CASE("when every address refuses, the last reason is given") {
   int port;
   ResolvedAddress closed;
   {
      Listener gone(1);
      port = gone.port;
      closed = gone.resolved();
   }
   HostServices host(nullptr);
   CallContext context(host, std::chrono::seconds(4), "test");
   try {
      Transport::connect_any({closed, closed}, "127.0.0.1", static_cast<std::uint16_t>(port), context);
      FAIL("connected");
   } catch (const Failure &failure) {
      CHECK(failure.status() == RPA_CONNECTION_FAILED);
      CHECK(std::string(failure.what()).find("Connection refused") != std::string::npos);
   }
}

TEST_CASE("IPv6 literals are bracketed in messages") {
   CHECK(endpoint_label("::1", 993) == "[::1]:993");
   CHECK(endpoint_label("mail.example.com", 143) == "mail.example.com:143");
}

}  // TEST_SUITE("net")
