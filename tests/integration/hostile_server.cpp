#include "hostile_server.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <doctest/doctest.h>

#include "dovecot_peer.h"
#include "net/sigpipe_guard.h"
#include "net/sockets.h"

namespace test {

namespace sockets = email::sockets;

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

// Reads until `marker`; false when the client went away or the server is closing (shutdown_both).
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
   int v4 = sockets::listen_loopback(AF_INET, static_cast<unsigned>(port));
   REQUIRE_MESSAGE(v4 >= 0, "cannot listen on 127.0.0.1:" << port);
   port_ = static_cast<int>(sockets::local_port(v4));
   listeners_.push_back(v4);
   // best effort: a machine without IPv6 has no ::1
   int v6 = sockets::listen_loopback(AF_INET6, static_cast<unsigned>(port_));
   if (v6 >= 0) listeners_.push_back(v6);
   thread_ = std::thread([this] { serve(); });
}

HostileServer::~HostileServer() {
   stop_ = true;
   thread_.join();
   {
      std::lock_guard<std::mutex> lock(mutex_);
      for (int client : open_clients_) sockets::shutdown_both(client);
   }
   for (auto &worker : workers_) worker.join();
   for (int client : open_clients_) sockets::close(client);
   for (int fd : listeners_) sockets::close(fd);
}

void HostileServer::serve() {
   while (!stop_) {  // looks at stop_ every 100 ms
      std::vector<pollfd> fds;
      for (int fd : listeners_) fds.push_back(sockets::poll_entry(fd, POLLIN));
      if (sockets::poll(fds.data(), static_cast<sockets::PollCount>(fds.size()), 100) <= 0) continue;
      for (const pollfd &ready : fds) {
         if (!ready.revents) continue;
         int client = sockets::accept(static_cast<int>(ready.fd));
         if (client < 0) continue;
         ++connections_;
         if (misbehaviour_ == Misbehaviour::reset) {
            sockets::close_with_reset(client);
            continue;
         }
         std::lock_guard<std::mutex> lock(mutex_);
         open_clients_.push_back(client);
         if (misbehaviour_ != Misbehaviour::silent) workers_.emplace_back([this, client] { handle(client); });
      }
   }
}

void HostileServer::handle(int client) {
   email::SigpipeGuard quiet;  // this test thread's SSL_write to a client that left must not end the run
   if (misbehaviour_ == Misbehaviour::close_in_handshake) {
      char hello[512];
      pollfd entry = sockets::poll_entry(client, POLLIN);
      if (sockets::poll(&entry, 1, 5000) > 0) (void)sockets::recv(client, hello, sizeof hello);  // part of it
      sockets::shutdown_both(client);
      return;
   }
   // headers_then_stall
   const DovecotPeer &peer = DovecotPeer::get();
   SSL_CTX *context = SSL_CTX_new(TLS_server_method());
   SSL_CTX_use_certificate_chain_file(context, (peer.value("PEER_DIR") + "/server.pem").c_str());
   SSL_CTX_use_PrivateKey_file(context, (peer.value("PEER_DIR") + "/server.key").c_str(), SSL_FILETYPE_PEM);
   SSL *ssl = SSL_new(context);
   SSL_set_fd(ssl, client);
   if (SSL_accept(ssl) == 1 && read_until(ssl, "\r\n\r\n")) {
      const std::string head =
          "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 100000\r\n\r\n"
          "<?xml version=\"1.0\"";
      SSL_write(ssl, head.data(), static_cast<int>(head.size()));
      char drain[1024];
      pollfd entry = sockets::poll_entry(client, POLLIN);
      while (sockets::poll(&entry, 1, 100000) > 0 && sockets::recv(client, drain, sizeof drain) > 0) {
      }  // stalls until the client or the destructor ends the connection
   }
   SSL_free(ssl);
   SSL_CTX_free(context);
   ERR_clear_error();
}

}  // namespace test
