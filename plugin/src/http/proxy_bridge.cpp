#include "http/proxy_bridge.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <vector>

#include "host/host_services.h"
#include "http/https_client.h"
#include "net/call_context.h"
#include "net/server_endpoint.h"
#include "net/sockets.h"
#include "net/transport.h"
#include "util/text.h"

namespace email {

struct ProxyBridge::Tunnel {
   const std::atomic<bool> *stopping = nullptr;
   int client_fd = -1;  // owned by the Transport (then the relay) that serves it
   std::atomic<bool> done{false};
   rpa_host_services services{};  // is_cancelled only: the bridge stops, or the client hung up
   std::thread thread;
};

namespace {

constexpr int kPollMs = static_cast<int>(CallContext::kCancelPollInterval.count());

// The tunnel's "cancel": the bridge is stopping, or the library hung up (a cancelled or timed out
// request) while the tunnel was being set up.
int tunnel_cancelled(void *data) {
   auto *tunnel = static_cast<ProxyBridge::Tunnel *>(data);
   if (tunnel->stopping->load()) return 1;
   return sockets::peer_hung_up(tunnel->client_fd) ? 1 : 0;
}

// "[::1]" -> "::1"; names and IPv4 addresses unchanged.
std::string without_brackets(const std::string &host) {
   if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
   return host;
}

// "host:port" or "[v6]:port" -> host and port; false when it is not one.
bool split_authority(const std::string &authority, std::string &host, std::uint16_t &port,
                     std::uint16_t default_port) {
   std::size_t colon = authority.rfind(':');
   if (colon != std::string::npos && authority.find(']', colon) != std::string::npos)
      colon = std::string::npos;
   host = without_brackets(authority.substr(0, colon));
   if (host.empty()) return false;
   if (colon == std::string::npos) {
      port = default_port;
      return port != 0;
   }
   const std::string digits = authority.substr(colon + 1);
   if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos)
      return false;
   const unsigned long value = std::stoul(digits);
   if (value == 0 || value > 65535) return false;
   port = static_cast<std::uint16_t>(value);
   return true;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
   return text.size() >= prefix.size() &&
          to_lower_ascii(std::string(text.substr(0, prefix.size()))) == prefix;
}

std::string answer(const char *status, const char *extra = "") {
   return std::string("HTTP/1.1 ") + status + "\r\n" + extra +
          "Content-Length: 0\r\nConnection: close\r\n\r\n";
}

// Copies bytes both ways, starting with what was already read from either side, until both sides
// have finished (a side's end of stream is passed on as a half close) or one fails, or
// `stopping`. Closes both descriptors.
void relay(int client, int server, std::string to_server, std::string to_client,
           const std::atomic<bool> &stopping) {
   struct Direction {
      int from, to;
      std::string pending;
      bool ended = false;  // `from` sent its end of stream, and everything was passed on
      bool eof = false;
   };
   Direction up{client, server, std::move(to_server)}, down{server, client, std::move(to_client)};
   bool failed = false;
   char chunk[16 * 1024];
   while (!stopping.load() && !failed && !(up.ended && down.ended)) {
      short client_events = 0, server_events = 0;
      for (Direction *d : {&up, &down}) {
         short &from = d->from == client ? client_events : server_events;
         short &to = d->to == client ? client_events : server_events;
         if (!d->pending.empty())
            to |= POLLOUT;
         else if (!d->eof)
            from |= POLLIN;
      }
      pollfd fds[2] = {sockets::poll_entry(client, client_events),
                       sockets::poll_entry(server, server_events)};
      if (sockets::poll(fds, 2, kPollMs) < 0) break;
      const auto retry = [](int error) { return sockets::would_block(error) || sockets::interrupted(error); };
      for (Direction *d : {&up, &down}) {
         if (!d->pending.empty()) {
            const long sent = sockets::send(d->to, d->pending.data(), d->pending.size());
            if (sent > 0)
               d->pending.erase(0, static_cast<std::size_t>(sent));
            else if (sent < 0 && !retry(sockets::last_error()))
               failed = true;
         } else if (!d->eof) {
            const long got = sockets::recv(d->from, chunk, sizeof chunk);
            if (got > 0)
               d->pending.assign(chunk, static_cast<std::size_t>(got));
            else if (got == 0)
               d->eof = true;
            else if (!retry(sockets::last_error()))
               failed = true;
         }
         if (d->eof && d->pending.empty() && !d->ended) {
            sockets::shutdown_send(d->to);
            d->ended = true;
         }
      }
   }
   sockets::close(client);
   sockets::close(server);
}

}  // namespace

ProxyRequestLine read_proxy_request_line(const std::string &line) {
   ProxyRequestLine request;
   const std::size_t first_space = line.find(' ');
   const std::size_t last_space = line.rfind(' ');
   if (first_space == std::string::npos || last_space <= first_space) return request;
   request.method = line.substr(0, first_space);
   const std::string target = line.substr(first_space + 1, last_space - first_space - 1);
   request.version = line.substr(last_space + 1);
   if (request.method == "CONNECT") {
      if (split_authority(target, request.host, request.port, 0))
         request.kind = ProxyRequestLine::Kind::tunnel;
   } else if (starts_with_ci(target, "http://")) {
      const std::size_t slash = target.find('/', 7);
      request.path = slash == std::string::npos ? "/" : target.substr(slash);
      const std::string authority =
          target.substr(7, slash == std::string::npos ? std::string::npos : slash - 7);
      if (split_authority(authority, request.host, request.port, 80))
         request.kind = ProxyRequestLine::Kind::forward;
   } else {
      request.kind = ProxyRequestLine::Kind::not_allowed;
   }
   return request;
}

ProxyBridge::ProxyBridge(ProxySettings upstream, std::chrono::milliseconds timeout)
    : upstream_(std::move(upstream)), timeout_(timeout) {
   unsigned char random[24];
   if (RAND_bytes(random, sizeof random) != 1)
      throw Failure(RPA_INTERNAL, "the random number generator failed");
   static const char hex[] = "0123456789abcdef";
   for (unsigned char byte : random) {
      password_.append(hex[byte >> 4]);
      password_.append(hex[byte & 15]);
   }
   OPENSSL_cleanse(random, sizeof random);
   expected_authorization_ = basic_authorization(username_, password_.view());

   listener_ = sockets::listen_loopback(AF_INET, 0);
   if (listener_ < 0)
      throw Failure(RPA_INTERNAL, "cannot open the loopback bridge to the proxy " + upstream_.label() + " (" +
                                      sockets::error_text(sockets::last_error()) + ")");
   port_ = static_cast<std::uint16_t>(sockets::local_port(listener_));
   acceptor_ = std::thread([this] { accept_loop(); });
}

ProxyBridge::~ProxyBridge() {
   stopping_ = true;
   if (acceptor_.joinable()) acceptor_.join();
   sockets::close(listener_);
   std::list<std::unique_ptr<Tunnel>> tunnels;
   {
      std::lock_guard<std::mutex> lock(mutex_);
      tunnels.swap(tunnels_);
   }
   for (auto &tunnel : tunnels)
      if (tunnel->thread.joinable()) tunnel->thread.join();
}

std::string ProxyBridge::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::optional<Failure> ProxyBridge::take_failure(const std::string &host, std::uint16_t port) {
   std::lock_guard<std::mutex> lock(mutex_);
   auto found = failures_.find(endpoint_label(without_brackets(host), port));
   if (found == failures_.end()) return std::nullopt;
   Failure failure = found->second;
   failures_.erase(found);
   return failure;
}

void ProxyBridge::remember(const std::string &target, const Failure &failure) {
   std::lock_guard<std::mutex> lock(mutex_);
   failures_.erase(target);
   failures_.emplace(target, failure);
}

void ProxyBridge::accept_loop() {
   while (!stopping_.load()) {
      pollfd listening = sockets::poll_entry(listener_, POLLIN);
      if (sockets::poll(&listening, 1, kPollMs) <= 0) continue;
      const int fd = sockets::accept(listener_);
      if (fd < 0) continue;
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = tunnels_.begin(); it != tunnels_.end();) {  // reap finished tunnels
         if ((*it)->done.load()) {
            (*it)->thread.join();
            it = tunnels_.erase(it);
         } else {
            ++it;
         }
      }
      if (tunnels_.size() >= kMaxTunnels) {
         const std::string busy = answer("503 Service Unavailable");
         sockets::send_nowait(fd, busy.data(), busy.size());
         sockets::close(fd);
         continue;
      }
      auto tunnel = std::make_unique<Tunnel>();
      tunnel->stopping = &stopping_;
      tunnel->client_fd = fd;
      tunnel->services.struct_size = sizeof(rpa_host_services);
      tunnel->services.host_data = tunnel.get();
      tunnel->services.is_cancelled = tunnel_cancelled;
      Tunnel &started = *tunnel;
      tunnels_.push_back(std::move(tunnel));
      started.thread = std::thread([this, &started] {
         try {
            serve(started);
         } catch (...) {  // serve() handles its own failures; nothing may escape a thread
         }
         started.done = true;
      });
   }
}

void ProxyBridge::serve(Tunnel &tunnel) {
   const HostServices services(&tunnel.services);
   CallContext context(services, timeout_, "the library's request to the loopback proxy bridge");
   std::unique_ptr<Transport> client = Transport::adopt(tunnel.client_fd, "the loopback proxy bridge");
   auto refuse = [&](const std::string &reply) {
      try {
         client->write(reply, context);
      } catch (const Failure &) {}
   };

   // The request head: request line, headers, empty line.
   std::string request_line;
   std::vector<std::string> headers;
   bool authorized = false;
   std::size_t head_bytes = 0;
   try {
      for (;;) {
         std::string line = client->read_line(context, "the proxy request");
         head_bytes += line.size() + 2;
         if (head_bytes > kMaxHeadBytes) return refuse(answer("431 Request Header Fields Too Large"));
         if (line.empty()) break;
         if (request_line.empty()) {
            request_line = std::move(line);
            continue;
         }
         if (starts_with_ci(line, "proxy-authorization:")) {
            std::string_view value(line);
            value.remove_prefix(20);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
            const std::string_view expected = expected_authorization_.view();
            authorized = value.size() == expected.size() &&
                         CRYPTO_memcmp(value.data(), expected.data(), expected.size()) == 0;
            OPENSSL_cleanse(line.data(), line.size());
            continue;
         }
         if (starts_with_ci(line, "proxy-connection:")) continue;
         headers.push_back(std::move(line));
      }
   } catch (const Failure &) {
      return;  // the library went away, or sent no head in time
   }
   if (!authorized)
      return refuse(answer("407 Proxy Authentication Required",
                           "Proxy-Authenticate: Basic realm=\"rpa-email-bridge\"\r\n"));

   const ProxyRequestLine request = read_proxy_request_line(request_line);
   if (request.kind == ProxyRequestLine::Kind::not_allowed) return refuse(answer("405 Method Not Allowed"));
   if (request.kind == ProxyRequestLine::Kind::malformed) return refuse(answer("400 Bad Request"));
   const bool tunnel_asked = request.kind == ProxyRequestLine::Kind::tunnel;

   // A plain request through an HTTP proxy goes to the proxy as it is: many allow CONNECT to 443 only.
   const bool forward_to_proxy = !tunnel_asked && upstream_.kind == ProxySettings::Kind::http;
   std::unique_ptr<Transport> server;
   try {
      server = forward_to_proxy ? connect_to_proxy(upstream_, context)
                                : connect_through(upstream_, request.host, request.port, context);
   } catch (const Failure &failure) {
      remember(endpoint_label(request.host, request.port), failure);
      return refuse(answer("502 Bad Gateway"));
   }

   SecretString to_server;  // may carry the proxy's credentials
   try {
      if (tunnel_asked) {
         client->write("HTTP/1.1 200 Connection established\r\n\r\n", context);
      } else {  // the bridge's own headers dropped; the request line in origin form for a server
         to_server.append(forward_to_proxy ? request_line
                                           : request.method + " " + request.path + " " + request.version);
         to_server.append("\r\n");
         for (const std::string &header : headers) {
            to_server.append(header);
            to_server.append("\r\n");
         }
         if (forward_to_proxy) to_server.append(proxy_authorization_header(upstream_).view());
         to_server.append("\r\n");
         server->write(to_server.view(), context);  // from the wiping buffer, before the relay
      }
   } catch (const Failure &) {
      return;
   }
   std::string to_client, from_client;
   const int server_fd = server->release_socket(to_client);    // a server that spoke first
   const int client_fd = client->release_socket(from_client);  // anything the library sent already
   relay(client_fd, server_fd, std::move(from_client), std::move(to_client), stopping_);
}

}  // namespace email
