// Connecting to a list of addresses: one that swallows the handshake must not use up the time
// of the others. The "blackhole" is a real listener whose accept queue is full, so the kernel
// drops further handshakes as a dead route would.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>
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

TEST_CASE("lines and literals read through a reused buffer arrive whole, whatever the pieces") {
   // The buffer drops read bytes from its front only when the next read would not fit behind
   // them: lines cut across reads at that moment, and literals larger than the buffer, must still
   // come whole. The peer writes in pieces of a prime size, so every boundary moves.
   int ends[2];
   REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) == 0);
   auto line = [](int i) {
      return "line " + std::to_string(i) + ' ' +
             std::string(static_cast<std::size_t>(i * 37 % 3001), static_cast<char>('a' + i % 26));
   };
   const std::string literal(300000, 'L');
   const std::string longest(Transport::kMaxLineBytes - 1, 'x');
   std::string sent;
   for (int i = 0; i < 3000; ++i) {
      sent += line(i) + (i % 2 ? "\r\n" : "\n");
      if (i == 1500) sent += literal + longest + "\r\n";
   }
   bool all_written = true;
   std::thread peer([&] {
      for (std::size_t at = 0; at < sent.size() && all_written; at += 7919)
         all_written = ::write(ends[1], sent.data() + at, std::min<std::size_t>(7919, sent.size() - at)) > 0;
      ::close(ends[1]);
   });
   HostServices host(nullptr);
   CallContext context(host, std::chrono::seconds(10), "test");
   auto transport = Transport::adopt(ends[0], "the peer");
   int wrong = 0;
   std::string appended;
   for (int i = 0; i < 3000; ++i) {
      appended.clear();
      transport->append_line(appended, context, "a line");
      if (appended != line(i)) ++wrong;
      if (i == 1500) {
         CHECK(transport->read_exact(literal.size(), context, "the literal") == literal);
         CHECK(transport->read_line(context, "the longest line") == longest);
      }
   }
   peer.join();
   CHECK(all_written);
   CHECK(wrong == 0);
   CHECK(transport->buffered() == 0);
}

TEST_CASE("IPv6 literals are bracketed in messages") {
   CHECK(endpoint_label("::1", 993) == "[::1]:993");
   CHECK(endpoint_label("mail.example.com", 143) == "mail.example.com:143");
}

}  // TEST_SUITE("net")
