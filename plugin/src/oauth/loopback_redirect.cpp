#include "oauth/loopback_redirect.h"

#include <cstring>

#include <cpprest/uri.h>

#include "net/sockets.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr std::size_t kMaxRequestBytes = 16 * 1024;
// How long one connection may take to send its request head.
constexpr std::chrono::seconds kRequestWait{5};

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
   listeners_[0] = sockets::listen_loopback(AF_INET, 0);
   if (listeners_[0] < 0)
      throw Failure(RPA_CONNECTION_FAILED, "cannot listen on 127.0.0.1 for the sign-in redirect: " +
                                               sockets::error_text(sockets::last_error()));
   port_ = sockets::local_port(listeners_[0]);
   listeners_[1] = sockets::listen_loopback(AF_INET6, port_);  // browsers may try ::1 first for "localhost"
}

LoopbackRedirect::~LoopbackRedirect() {
   sockets::close(client_);
   for (int fd : listeners_) sockets::close(fd);
}

std::map<std::string, std::string> LoopbackRedirect::next_query(CallContext &context) {
   for (;;) {
      sockets::close(client_);
      client_ = -1;
      pollfd waiting[2];
      int listening[2];
      sockets::PollCount count = 0;
      for (int fd : listeners_)
         if (fd >= 0) {
            listening[count] = fd;
            waiting[count++] = sockets::poll_entry(fd, POLLIN);
         }
      if (sockets::poll(waiting, count, context.next_wait_ms("the browser to finish the sign-in")) <= 0)
         continue;
      for (sockets::PollCount i = 0; i < count && client_ < 0; ++i)
         if (waiting[i].revents & POLLIN) client_ = sockets::accept(listening[i]);
      if (client_ < 0) continue;

      // Read the request head (bounded). One connection gets kRequestWait: a connection that
      // sends nothing (a browser's speculative preconnect, a stray local client) must not hold
      // the port for the whole sign-in while the real redirect waits behind it.
      std::string head;
      CallContext request(context, kRequestWait, "the browser");
      try {
         while (head.find("\r\n\r\n") == std::string::npos && head.size() < kMaxRequestBytes) {
            pollfd readable = sockets::poll_entry(client_, POLLIN);
            if (sockets::poll(&readable, 1, request.next_wait_ms("the browser's redirect request")) <= 0)
               continue;
            char buffer[2048];
            const long got = sockets::recv(client_, buffer, sizeof buffer);
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
      const long wrote = sockets::send(client_, response.data() + sent, response.size() - sent);
      if (wrote <= 0) break;
      sent += static_cast<std::size_t>(wrote);
   }
   sockets::close(client_);
   client_ = -1;
}

}  // namespace email
