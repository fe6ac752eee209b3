// ProxyBridge: every proxy of an HttpsClient goes through the plugin's own proxy client, so
// cpprestsdk never sees the user's proxy or its password (why: docs/design/proxy-bridge.md).
//
// A ProxyBridge is a small HTTP proxy of this process, for one HttpsClient: it listens on
// 127.0.0.1 (an ephemeral port), and each tunnel it is asked for it opens through the real proxy
// with net/proxy.h (HTTP CONNECT with Basic credentials, SOCKS5 with RFC 1929; socks5 resolves the
// name here, socks5h lets the proxy resolve it), then relays bytes both ways. TLS stays end to
// end: cpprestsdk runs the handshake with the server through the tunnel.
//
// - Only this client may use it: every request must carry Proxy-Authorization with the bridge's
//   own random password (cpprestsdk sends it), else 407 and the connection closes.
// - CONNECT host:port (HTTPS) and absolute-form requests ("GET http://host/path", Autodiscover's
//   unauthenticated redirect check) are served; anything else gets 405. Through an HTTP proxy an
//   absolute-form request is forwarded to it as it is (many proxies allow CONNECT to 443 only);
//   through SOCKS5 it goes to the server in origin form.
// - A tunnel's set-up (the request head, the proxy handshake, the server's connection) is bounded
//   by `timeout` and gives up when cpprestsdk hangs up; its Failure (the proxy refused the
//   credentials, unreachable, ...) is kept for the caller (take_failure) and cpprestsdk gets 502.
// - At most kMaxTunnels at once; a relay lasts as long as both ends keep the connection.
// - The destructor closes the listener and every tunnel and joins their threads (within about
//   kCancelPollInterval), so an unloaded plugin leaves nothing running.
// Nothing here logs: the host's services belong to a call, and the bridge outlives calls.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "net/proxy.h"
#include "util/failure.h"
#include "util/secret.h"

namespace email {

// A proxy request line, read (pure; fuzzed): "CONNECT host:port HTTP/1.1" asks for a tunnel,
// "GET http://host[:port]/path HTTP/1.1" to have a request forwarded (origin form in `path`).
struct ProxyRequestLine {
   enum class Kind { tunnel, forward, not_allowed, malformed } kind = Kind::malformed;
   std::string method, host, path, version;  // host without IPv6 brackets
   std::uint16_t port = 0;
};
ProxyRequestLine read_proxy_request_line(const std::string &line);

class ProxyBridge {
 public:
   static constexpr std::size_t kMaxTunnels = 32;
   static constexpr std::size_t kMaxHeadBytes = 16 * 1024;

   // Starts listening. `upstream` is the real proxy (any kind but none). Throws Failure(internal)
   // when the loopback socket cannot be made.
   ProxyBridge(ProxySettings upstream, std::chrono::milliseconds timeout);
   ~ProxyBridge();
   ProxyBridge(const ProxyBridge &) = delete;
   ProxyBridge &operator=(const ProxyBridge &) = delete;

   const ProxySettings &proxy() const { return upstream_; }
   std::string url() const;  // "http://127.0.0.1:PORT", for the library's proxy setting
   const std::string &username() const { return username_; }
   const SecretString &password() const { return password_; }

   // Why the last tunnel to host:port could not be set up, once (then forgotten).
   std::optional<Failure> take_failure(const std::string &host, std::uint16_t port);

   struct Tunnel;  // one accepted connection and its thread

 private:
   void accept_loop();
   void serve(Tunnel &tunnel);
   void remember(const std::string &target, const Failure &failure);

   ProxySettings upstream_;
   std::chrono::milliseconds timeout_;
   std::string username_ = "rpa-email-bridge";
   SecretString password_;
   SecretString expected_authorization_;  // "Basic base64(username:password)"
   int listener_ = -1;
   std::uint16_t port_ = 0;
   std::atomic<bool> stopping_{false};

   std::mutex mutex_;  // guards tunnels_ and failures_
   std::list<std::unique_ptr<Tunnel>> tunnels_;
   std::map<std::string, Failure> failures_;  // by "host:port"
   std::thread acceptor_;
};

}  // namespace email
