#include "silent_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <doctest/doctest.h>
#include <openssl/ssl.h>

#include "dovecot_peer.h"

namespace test {

namespace {
int listen_on_loopback(int &port) {
   int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   REQUIRE(fd >= 0);
   sockaddr_in address{};
   address.sin_family = AF_INET;
   address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   REQUIRE(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
   REQUIRE(::listen(fd, 16) == 0);
   socklen_t length = sizeof address;
   ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
   port = ntohs(address.sin_port);
   return fd;
}
}  // namespace

SilentServer::SilentServer() { fd_ = listen_on_loopback(port_); }
SilentServer::~SilentServer() { ::close(fd_); }

bool SilentServer::wait_for_connection(int timeout_ms) const {
   pollfd pfd{fd_, POLLIN, 0};
   return ::poll(&pfd, 1, timeout_ms) == 1;
}

ScriptedServer::ScriptedServer(std::string greeting, std::vector<std::string> replies, bool tls,
                               std::chrono::milliseconds greeting_delay, int connections)
    : greeting_(std::move(greeting)),
      replies_(std::move(replies)),
      tls_(tls),
      greeting_delay_(greeting_delay),
      connections_(connections) {
   fd_ = listen_on_loopback(port_);
   thread_ = std::thread([this] { serve(); });
}

ScriptedServer::ScriptedServer(std::string greeting, Responder responder, bool tls)
    : greeting_(std::move(greeting)), respond_(std::move(responder.respond)), tls_(tls) {
   fd_ = listen_on_loopback(port_);
   thread_ = std::thread([this] { serve(); });
}

ScriptedServer::~ScriptedServer() {
   ::shutdown(fd_, SHUT_RDWR);
   if (thread_.joinable()) thread_.join();
   ::close(fd_);
}

std::vector<std::string> ScriptedServer::received() {
   if (thread_.joinable()) thread_.join();
   return received_;
}

int ScriptedServer::accepted() {
   if (thread_.joinable()) thread_.join();
   return accepted_;
}

void ScriptedServer::serve() {
   for (int i = 0; i < connections_; ++i) {
      pollfd pfd{fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 20000) <= 0) return;
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      ++accepted_;
      serve_one(client);
   }
}

void ScriptedServer::serve_one(int client) {
   if (greeting_delay_.count() > 0) std::this_thread::sleep_for(greeting_delay_);
   SSL_CTX *context = nullptr;
   SSL *ssl = nullptr;
   if (tls_) {
      const DovecotPeer &peer = DovecotPeer::get();
      context = SSL_CTX_new(TLS_server_method());
      SSL_CTX_use_certificate_chain_file(context, (peer.value("PEER_DIR") + "/server.pem").c_str());
      SSL_CTX_use_PrivateKey_file(context, (peer.value("PEER_DIR") + "/server.key").c_str(),
                                  SSL_FILETYPE_PEM);
      ssl = SSL_new(context);
      SSL_set_fd(ssl, client);
      if (SSL_accept(ssl) != 1) {
         SSL_free(ssl);
         SSL_CTX_free(context);
         ::close(client);
         return;
      }
   }
   auto send_text = [&](const std::string &text) {
      if (ssl)
         SSL_write(ssl, text.data(), static_cast<int>(text.size()));
      else
         ::send(client, text.data(), text.size(), MSG_NOSIGNAL);
   };
   send_text(greeting_);
   std::string buffer;
   std::size_t next = 0;
   char chunk[4096];
   for (;;) {
      if (!ssl || SSL_pending(ssl) == 0) {
         pollfd cfd{client, POLLIN, 0};
         if (::poll(&cfd, 1, 20000) <= 0) break;
      }
      const long got = ssl ? SSL_read(ssl, chunk, sizeof chunk) : ::recv(client, chunk, sizeof chunk, 0);
      if (got <= 0) break;
      buffer.append(chunk, static_cast<std::size_t>(got));
      for (std::size_t eol; (eol = buffer.find("\r\n")) != std::string::npos;) {
         received_.push_back(buffer.substr(0, eol));
         buffer.erase(0, eol + 2);
         if (respond_) {
            const std::string reply = respond_(received_.back());
            if (!reply.empty()) send_text(reply);
         } else if (next < replies_.size()) {
            send_text(replies_[next++]);
         }
      }
   }
   if (ssl) SSL_free(ssl);
   if (context) SSL_CTX_free(context);
   ::close(client);
}

TricklingServer::TricklingServer(std::string first, std::string repeated, std::chrono::milliseconds every,
                                 bool after_first_line, std::string answer)
    : first_(std::move(first)),
      repeated_(std::move(repeated)),
      answer_(std::move(answer)),
      every_(every),
      after_first_line_(after_first_line) {
   fd_ = listen_on_loopback(port_);
   thread_ = std::thread([this] { serve(); });
}

TricklingServer::~TricklingServer() {
   stop_ = true;
   ::shutdown(fd_, SHUT_RDWR);
   if (thread_.joinable()) thread_.join();
   ::close(fd_);
}

void TricklingServer::serve() {
   pollfd pfd{fd_, POLLIN, 0};
   if (::poll(&pfd, 1, 20000) <= 0 || stop_) return;
   int client = ::accept(fd_, nullptr, nullptr);
   if (client < 0) return;
   ::send(client, first_.data(), first_.size(), MSG_NOSIGNAL);
   if (after_first_line_) {
      std::string line;
      char byte;
      while (!stop_ && line.find('\n') == std::string::npos) {
         pollfd cfd{client, POLLIN, 0};
         if (::poll(&cfd, 1, 100) < 0) break;
         if (cfd.revents && ::recv(client, &byte, 1, 0) <= 0) break;
         if (cfd.revents) line += byte;
      }
      ::send(client, answer_.data(), answer_.size(), MSG_NOSIGNAL);
   }
   while (!stop_) {
      if (::send(client, repeated_.data(), repeated_.size(), MSG_NOSIGNAL) <= 0) break;
      sent_ += repeated_.size();
      std::this_thread::sleep_for(every_);
   }
   ::close(client);
}

}  // namespace test
