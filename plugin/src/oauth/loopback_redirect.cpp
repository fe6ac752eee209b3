#include "oauth/loopback_redirect.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <cpprest/uri.h>

#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr std::size_t kMaxRequestBytes = 16 * 1024;
// How long one connection may take to send its request head.
constexpr std::chrono::seconds kRequestWait{5};

int listen_on(int family, unsigned port) {
   int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
   if (fd < 0) return -1;
   int rc = -1;
   if (family == AF_INET) {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<std::uint16_t>(port));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      rc = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
   } else {
      int only_v6 = 1;
      ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only_v6, sizeof only_v6);
      sockaddr_in6 address{};
      address.sin6_family = AF_INET6;
      address.sin6_port = htons(static_cast<std::uint16_t>(port));
      address.sin6_addr = in6addr_loopback;
      rc = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
   }
   if (rc != 0 || ::listen(fd, 8) != 0) {
      ::close(fd);
      return -1;
   }
   return fd;
}

std::string html_escape(const std::string &text) {
   std::string out;
   for (char c : text) {
      switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
      }
   }
   return out;
}

}  // namespace

LoopbackRedirect::LoopbackRedirect() {
   listeners_[0] = listen_on(AF_INET, 0);
   if (listeners_[0] < 0)
      throw Failure(RPA_CONNECTION_FAILED, std::string("cannot listen on 127.0.0.1 for the sign-in "
                                                       "redirect: ") +
                                               std::strerror(errno));
   sockaddr_in bound{};
   socklen_t size = sizeof bound;
   ::getsockname(listeners_[0], reinterpret_cast<sockaddr *>(&bound), &size);
   port_ = ntohs(bound.sin_port);
   listeners_[1] = listen_on(AF_INET6, port_);  // browsers may try ::1 first for "localhost"
}

LoopbackRedirect::~LoopbackRedirect() {
   if (client_ >= 0) ::close(client_);
   for (int fd : listeners_)
      if (fd >= 0) ::close(fd);
}

std::map<std::string, std::string> LoopbackRedirect::next_query(CallContext &context) {
   for (;;) {
      if (client_ >= 0) {
         ::close(client_);
         client_ = -1;
      }
      pollfd waiting[2];
      nfds_t count = 0;
      for (int fd : listeners_)
         if (fd >= 0) waiting[count++] = {fd, POLLIN, 0};
      if (::poll(waiting, count, context.next_wait_ms("the browser to finish the sign-in")) <= 0) continue;
      for (nfds_t i = 0; i < count && client_ < 0; ++i)
         if (waiting[i].revents & POLLIN) client_ = ::accept4(waiting[i].fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (client_ < 0) continue;

      // Read the request head (bounded). One connection gets kRequestWait: a connection that
      // sends nothing (a browser's speculative preconnect, a stray local client) must not hold
      // the port for the whole sign-in while the real redirect waits behind it.
      std::string head;
      CallContext request(context, kRequestWait, "the browser");
      try {
         while (head.find("\r\n\r\n") == std::string::npos && head.size() < kMaxRequestBytes) {
            pollfd readable{client_, POLLIN, 0};
            if (::poll(&readable, 1, request.next_wait_ms("the browser's redirect request")) <= 0) continue;
            char buffer[2048];
            ssize_t got = ::recv(client_, buffer, sizeof buffer, 0);
            if (got <= 0) break;
            head.append(buffer, static_cast<std::size_t>(got));
         }
      } catch (const Failure &failure) {
         if (failure.status() != RPA_TIMEOUT || context.remaining().count() == 0) throw;
         continue;  // this connection said nothing in time: the next one may be the redirect
      }
      // "GET /?code=...&state=... HTTP/1.1"
      const std::string line = head.substr(0, head.find("\r\n"));
      const std::size_t space = line.find(' ');
      const std::size_t end = line.rfind(' ');
      if (line.compare(0, 4, "GET ") != 0 || space == std::string::npos || end <= space) {
         respond(400, "Bad request", "This address only receives the sign-in redirect.");
         continue;
      }
      const std::string target = line.substr(space + 1, end - space - 1);
      const std::size_t question = target.find('?');
      if (target.substr(0, question) != "/") {
         respond(404, "Not found", "This address only receives the sign-in redirect.");
         continue;
      }
      std::map<std::string, std::string> query;
      if (question != std::string::npos) {
         // A query is form-encoded (WHATWG URL): '+' is a space before percent-decoding.
         auto decode = [](std::string text) {
            for (char &c : text)
               if (c == '+') c = ' ';
            return web::uri::decode(text);
         };
         for (const auto &[name, value] : web::uri::split_query(target.substr(question + 1)))
            query[decode(name)] = decode(value);
      }
      return query;
   }
}

void LoopbackRedirect::respond(int status, const std::string &title, const std::string &text) {
   if (client_ < 0) return;
   const std::string body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" +
                            html_escape(title) + "</title></head><body><h1>" + html_escape(title) +
                            "</h1><p>" + html_escape(text) + "</p></body></html>";
   const std::string reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request";
   const std::string response =
       "HTTP/1.1 " + std::to_string(status) + " " + reason +
       "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
       "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + body;
   std::size_t sent = 0;
   while (sent < response.size()) {
      ssize_t wrote = ::send(client_, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (wrote <= 0) break;
      sent += static_cast<std::size_t>(wrote);
   }
   ::close(client_);
   client_ = -1;
}

}  // namespace email
