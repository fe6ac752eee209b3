#include "silent_server.h"

#include <doctest/doctest.h>
#include <openssl/ssl.h>

#include "dovecot_peer.h"
#include "net/sigpipe_guard.h"
#include "net/sockets.h"

namespace test {

namespace sockets = email::sockets;

namespace {
int listen_on_loopback(int &port) {
   const int fd = sockets::listen_loopback(AF_INET, 0);
   REQUIRE(fd >= 0);
   port = static_cast<int>(sockets::local_port(fd));
   return fd;
}

// Whether `fd` has something to read within `timeout_ms`, looking at `stop` every 100 ms
// (a socket's shutdown wakes poll on Linux, but not WSAPoll on Windows).
bool readable(int fd, int timeout_ms, const std::atomic<bool> &stop) {
   for (int waited = 0; waited < timeout_ms && !stop; waited += 100) {
      pollfd entry = sockets::poll_entry(fd, POLLIN);
      const int ready = sockets::poll(&entry, 1, 100);
      if (ready < 0) return false;
      if (ready > 0) return true;
   }
   return false;
}
}  // namespace

SilentServer::SilentServer() { fd_ = listen_on_loopback(port_); }
SilentServer::~SilentServer() { sockets::close(fd_); }

bool SilentServer::wait_for_connection(int timeout_ms) const {
   pollfd entry = sockets::poll_entry(fd_, POLLIN);
   return sockets::poll(&entry, 1, timeout_ms) == 1;
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
   stop_ = true;
   if (thread_.joinable()) thread_.join();
   sockets::close(fd_);
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
   email::SigpipeGuard quiet;  // a write to a client that left must not end the test run
   for (int i = 0; i < connections_; ++i) {
      if (!readable(fd_, 20000, stop_)) return;
      int client = sockets::accept(fd_);
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
         sockets::close(client);
         return;
      }
   }
   auto send_text = [&](const std::string &text) {
      if (ssl)
         SSL_write(ssl, text.data(), static_cast<int>(text.size()));
      else
         sockets::send(client, text.data(), text.size());
   };
   send_text(greeting_);
   std::string buffer;
   std::size_t next = 0;
   char chunk[4096];
   for (;;) {
      if ((!ssl || SSL_pending(ssl) == 0) && !readable(client, 20000, stop_)) break;
      const long got = ssl ? SSL_read(ssl, chunk, sizeof chunk) : sockets::recv(client, chunk, sizeof chunk);
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
   sockets::close(client);
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
   if (thread_.joinable()) thread_.join();
   sockets::close(fd_);
}

void TricklingServer::serve() {
   if (!readable(fd_, 20000, stop_)) return;
   int client = sockets::accept(fd_);
   if (client < 0) return;
   sockets::send(client, first_.data(), first_.size());
   if (after_first_line_) {
      std::string line;
      char byte;
      while (!stop_ && line.find('\n') == std::string::npos) {
         pollfd entry = sockets::poll_entry(client, POLLIN);
         const int ready = sockets::poll(&entry, 1, 100);
         if (ready < 0) break;
         if (ready > 0 && sockets::recv(client, &byte, 1) <= 0) break;
         if (ready > 0) line += byte;
      }
      sockets::send(client, answer_.data(), answer_.size());
   }
   while (!stop_) {
      if (sockets::send(client, repeated_.data(), repeated_.size()) <= 0) break;
      sent_ += repeated_.size();
      std::this_thread::sleep_for(every_);
   }
   sockets::close(client);
}

}  // namespace test
