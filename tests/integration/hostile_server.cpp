#include "hostile_server.h"

#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <doctest/doctest.h>

#include "dovecot_peer.h"

namespace test {

const char *to_string(Misbehaviour misbehaviour) {
   switch (misbehaviour) {
   case Misbehaviour::silent: return "silent";
   case Misbehaviour::close_in_handshake: return "close_in_handshake";
   case Misbehaviour::headers_then_stall: return "headers_then_stall";
   case Misbehaviour::reset: return "reset";
   }
   return "?";
}

namespace {

int listen_on(int family, int port) {
   int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
   if (fd < 0) return -1;
   int one = 1;
   ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
   int rc;
   if (family == AF_INET) {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<std::uint16_t>(port));
      rc = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
   } else {
      ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
      sockaddr_in6 address{};
      address.sin6_family = AF_INET6;
      address.sin6_addr = in6addr_loopback;
      address.sin6_port = htons(static_cast<std::uint16_t>(port));
      rc = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
   }
   if (rc != 0 || ::listen(fd, 16) != 0) {
      ::close(fd);
      return -1;
   }
   return fd;
}

int bound_port(int fd) {
   sockaddr_in address{};
   socklen_t length = sizeof address;
   ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
   return ntohs(address.sin_port);
}

// Reads until `marker` or 5 s of quiet; false when the client went away.
bool read_until(SSL *ssl, const char *marker) {
   std::string seen;
   char buffer[4096];
   while (seen.find(marker) == std::string::npos && seen.size() < 1 << 20) {
      int got = SSL_read(ssl, buffer, sizeof buffer);
      if (got <= 0) return false;
      seen.append(buffer, static_cast<std::size_t>(got));
   }
   return true;
}

}  // namespace

HostileServer::HostileServer(Misbehaviour misbehaviour, int port) : misbehaviour_(misbehaviour) {
   int v4 = listen_on(AF_INET, port);
   REQUIRE_MESSAGE(v4 >= 0, "cannot listen on 127.0.0.1:" << port);
   port_ = bound_port(v4);
   listeners_.push_back(v4);
   int v6 = listen_on(AF_INET6, port_);  // best effort: a machine without IPv6 has no ::1
   if (v6 >= 0) listeners_.push_back(v6);
   REQUIRE(::pipe(wake_) == 0);
   thread_ = std::thread([this] { serve(); });
}

HostileServer::~HostileServer() {
   ::write(wake_[1], "x", 1);
   thread_.join();
   {
      std::lock_guard<std::mutex> lock(mutex_);
      for (int client : open_clients_) ::shutdown(client, SHUT_RDWR);
   }
   for (auto &worker : workers_) worker.join();
   for (int client : open_clients_) ::close(client);
   for (int fd : listeners_) ::close(fd);
   ::close(wake_[0]);
   ::close(wake_[1]);
}

void HostileServer::serve() {
   for (;;) {
      std::vector<pollfd> fds{{wake_[0], POLLIN, 0}};
      for (int fd : listeners_) fds.push_back({fd, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), -1) < 0) continue;
      if (fds[0].revents) return;
      for (std::size_t i = 1; i < fds.size(); ++i) {
         if (!fds[i].revents) continue;
         int client = ::accept4(fds[i].fd, nullptr, nullptr, SOCK_CLOEXEC);
         if (client < 0) continue;
         ++connections_;
         if (misbehaviour_ == Misbehaviour::reset) {
            linger hard{1, 0};
            ::setsockopt(client, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
            ::close(client);
            continue;
         }
         std::lock_guard<std::mutex> lock(mutex_);
         open_clients_.push_back(client);
         if (misbehaviour_ != Misbehaviour::silent) workers_.emplace_back([this, client] { handle(client); });
      }
   }
}

void HostileServer::handle(int client) {
   sigset_t pipe_signal;  // this test thread's SSL_write to a client that left must not end the run
   sigemptyset(&pipe_signal);
   sigaddset(&pipe_signal, SIGPIPE);
   pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
   if (misbehaviour_ == Misbehaviour::close_in_handshake) {
      char hello[512];
      pollfd pfd{client, POLLIN, 0};
      if (::poll(&pfd, 1, 5000) > 0) (void)::recv(client, hello, sizeof hello, 0);  // part of it
      ::shutdown(client, SHUT_RDWR);
      return;
   }
   // headers_then_stall
   const DovecotPeer &peer = DovecotPeer::get();
   SSL_CTX *context = SSL_CTX_new(TLS_server_method());
   SSL_CTX_use_certificate_chain_file(context, (peer.value("PEER_DIR") + "/server.pem").c_str());
   SSL_CTX_use_PrivateKey_file(context, (peer.value("PEER_DIR") + "/server.key").c_str(), SSL_FILETYPE_PEM);
   SSL *ssl = SSL_new(context);
   SSL_set_fd(ssl, client);
   timeval five{5, 0};
   ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
   if (SSL_accept(ssl) == 1 && read_until(ssl, "\r\n\r\n")) {
      const std::string head =
          "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 100000\r\n\r\n"
          "<?xml version=\"1.0\"";
      SSL_write(ssl, head.data(), static_cast<int>(head.size()));
      char drain[1024];
      pollfd pfd{client, POLLIN, 0};
      while (::poll(&pfd, 1, 100000) > 0 && ::recv(client, drain, sizeof drain, 0) > 0) {
      }  // stalls until the client or the destructor ends the connection
   }
   SSL_free(ssl);
   SSL_CTX_free(context);
   ERR_clear_error();
}

}  // namespace test
