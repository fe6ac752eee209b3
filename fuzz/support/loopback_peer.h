// LoopbackPeer: a server on 127.0.0.1 that answers one connection with the fuzz input, all at
// once, then closes its side and reads until the client leaves. The protocol clients run their
// real I/O (Transport, line reader, literals) against it.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <thread>

namespace fuzz {

class LoopbackPeer {
 public:
   LoopbackPeer() {
      fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ::bind(fd_, reinterpret_cast<sockaddr *>(&address), sizeof address);
      ::listen(fd_, 4);
      socklen_t length = sizeof address;
      ::getsockname(fd_, reinterpret_cast<sockaddr *>(&address), &length);
      port_ = ntohs(address.sin_port);
   }
   std::uint16_t port() const { return port_; }

   // Serves `bytes` to the next connection, in the background; finish() waits for it.
   void serve(std::string bytes) {
      thread_ = std::thread([this, bytes = std::move(bytes)] {
         pollfd pfd{fd_, POLLIN, 0};
         if (::poll(&pfd, 1, 2000) <= 0) return;
         int client = ::accept(fd_, nullptr, nullptr);
         if (client < 0) return;
         std::size_t sent = 0;
         while (sent < bytes.size()) {
            ssize_t n = ::send(client, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) break;
            sent += static_cast<std::size_t>(n);
         }
         ::shutdown(client, SHUT_WR);
         char drain[4096];
         for (;;) {
            pollfd cfd{client, POLLIN, 0};
            if (::poll(&cfd, 1, 2000) <= 0 || ::recv(client, drain, sizeof drain, 0) <= 0) break;
         }
         ::close(client);
      });
   }
   void finish() {
      if (thread_.joinable()) thread_.join();
   }

 private:
   int fd_ = -1;
   std::uint16_t port_ = 0;
   std::thread thread_;
};

}  // namespace fuzz
