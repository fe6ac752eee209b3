// ServerEndpoint: where and how to connect. The resolved, validated network part of a Connect
// property bag, shared by every protocol client.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "net/proxy.h"
#include "net/tls_settings.h"

namespace email {

// "host:port" ("[v6]:port" for IPv6 literals), for messages.
inline std::string endpoint_label(const std::string &host, std::uint16_t port) {
   const bool ipv6 = host.find(':') != std::string::npos;
   return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

struct ServerEndpoint {
   std::string host;  // lower-case
   std::uint16_t port = 0;
   TlsPolicy tls = TlsPolicy::implicit;
   // tls_mode "auto": the policy above is a guess from the port; when the server shows otherwise
   // (a plain-text answer to the TLS handshake, or silence where a greeting was due), the other
   // way is used (line/line_sign_in.h).
   bool tls_guessed = false;
   TlsSettings tls_settings;
   std::chrono::milliseconds timeout{30000};
   ProxySettings proxy;  // none: connect directly
   std::string label() const { return endpoint_label(host, port); }
};

// An https origin as an endpoint: TLS from the first byte, through the proxy `tls` names for `host`,
// with the call's timeout.
inline ServerEndpoint https_endpoint(const std::string &host, std::uint16_t port, const TlsSettings &tls,
                                     const CallContext &context) {
   ServerEndpoint endpoint;
   endpoint.host = host;
   endpoint.port = port;
   endpoint.tls = TlsPolicy::implicit;
   endpoint.tls_settings = tls;
   endpoint.timeout = context.timeout();
   endpoint.proxy = proxy_for(tls, host, context);
   return endpoint;
}

}  // namespace email
