// Proxies: the way out of a corporate network. ProxySettings says which proxy a Connect uses;
// connect_through() opens a TCP connection to the mail server through it, for IMAP and POP3:
//   - HTTP CONNECT (RFC 9110 9.3.6), Basic proxy credentials (RFC 7617);
//   - SOCKS5 (RFC 1928) with username/password (RFC 1929): "socks5" resolves the server's name
//     here, "socks5h" lets the proxy resolve it.
// TLS and certificate checks stay end to end (they run over the tunnel, for the mail server's
// name). Every wait goes through the CallContext. Messages name the proxy (never its password):
// unreachable -> connection_failed; refused credentials (407, SOCKS auth) -> authentication_failed
// naming the proxy; the proxy's refusal to connect (403, SOCKS rule) -> connection_failed saying so.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "net/call_context.h"
#include "util/failure.h"
#include "util/secret.h"

namespace email {

class Transport;

struct ProxySettings {
   enum class Kind { none, http, socks5, socks5h };
   Kind kind = Kind::none;
   std::string host;  // lower-case
   std::uint16_t port = 0;
   std::string username;  // "" for none
   SecretString password;

   ProxySettings() = default;
   // Copies carry a copy of the password (wiped when they go), as endpoints are copied.
   ProxySettings(const ProxySettings &other)
       : kind(other.kind),
         host(other.host),
         port(other.port),
         username(other.username),
         password(other.password.clone()) {}
   ProxySettings &operator=(const ProxySettings &other) {
      if (this != &other) {
         kind = other.kind;
         host = other.host;
         port = other.port;
         username = other.username;
         password = other.password.clone();
      }
      return *this;
   }
   ProxySettings(ProxySettings &&) = default;
   ProxySettings &operator=(ProxySettings &&) = default;

   bool enabled() const { return kind != Kind::none; }
   // "http://proxy.example:3128" (no credentials), for messages.
   std::string label() const;
};

// Parses "http://host:port", "socks5://host:port", "socks5h://host:port" (user:password@ allowed,
// percent-encoded, as environment variables carry them). Throws std::invalid_argument saying why.
ProxySettings parse_proxy_url(const std::string &url);

// The proxy the environment names for a connection to `host` (like curl): https_proxy /
// HTTPS_PROXY, else all_proxy / ALL_PROXY; none when no_proxy / NO_PROXY lists `host`, one of its
// parent domains, or "*". Throws std::invalid_argument for a variable that is not a proxy URL.
ProxySettings proxy_from_environment(const std::string &host);

// The proxy for a connection to `host`: `configured`, or with `from_environment` (proxy: "system")
// the system's (net/system_proxy.h; on Windows a proxy script may run, under `context`), keeping
// `configured`'s credentials when it has some. Throws Failure(invalid_properties) for a system
// setting that names no usable proxy.
ProxySettings proxy_for(const ProxySettings &configured, bool from_environment, const std::string &host,
                        const CallContext &context);

// authentication_failed for an HTTP proxy's 407 (or tinyproxy's 401): it asks for credentials, or
// refused the ones given. `said` is the proxy's status text.
Failure proxy_refused_credentials(const ProxySettings &proxy, const std::string &said);

// "Proxy-Authorization: Basic ...\r\n" for an HTTP proxy with credentials, else empty; in a
// wiping buffer.
SecretString proxy_authorization_header(const ProxySettings &proxy);

// A TCP connection to the proxy itself (a plain-HTTP request forwarded to an HTTP proxy).
// Throws Failure(connection_failed) naming the proxy when it cannot be reached.
std::unique_ptr<Transport> connect_to_proxy(const ProxySettings &proxy, CallContext &context);

// A TCP connection to host:port through `proxy`; the transport's host() and port() are the
// server's. Throws Failure as described above.
std::unique_ptr<Transport> connect_through(const ProxySettings &proxy, const std::string &host,
                                           std::uint16_t port, CallContext &context);

}  // namespace email
