// LoopbackPeer: a server on 127.0.0.1 that answers one connection with the fuzz input, all at
// once, then closes its side and reads until the client leaves. The protocol clients run their
// real I/O (Transport, line reader, literals) against it.
#pragma once

#include <functional>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "fuzz_host.h"
#include "host/host_services.h"
#include "net/call_context.h"
#include "net/server_endpoint.h"
#include "session/mail_client.h"
#include "util/failure.h"

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

// One fuzz run of a mail client: `Client::open` against a peer that answers with the input
// (plain text, STARTTLS taken when offered), then lists the folders, then `more(client, context)`.
// Any Failure is a fine ending.
template <typename Client>
int run_client_session(const std::uint8_t *data, std::size_t size,
                       const std::function<void(Client &, email::CallContext &)> &more = nullptr) {
   static LoopbackPeer peer;
   const email::HostServices host(quiet_host());
   peer.serve(text_of(data, size));
   {
      email::ServerEndpoint endpoint{"127.0.0.1", peer.port(), email::TlsPolicy::starttls_if_offered,
                                     false,       {},          std::chrono::milliseconds(2000),
                                     {}};
      email::CallContext context(host, endpoint.timeout, endpoint.label());
      try {
         auto client = Client::open(endpoint, "alice", email::SecretString("correct horse"), context,
                                    email::SecretKind::password);
         (void)client->mailbox().folders(context);
         if (more) more(*client, context);
      } catch (const email::Failure &) {}
   }
   peer.finish();
   return 0;
}

}  // namespace fuzz
