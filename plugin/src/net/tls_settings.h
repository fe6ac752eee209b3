// How a connection protects itself: the choices a Connect property bag makes about TLS.
#pragma once

#include <string>

#include "host/host_services.h"
#include "net/proxy.h"

namespace email {

enum class TlsPolicy {
   implicit,             // TLS from the first byte (993, 995)
   starttls_required,    // upgrade with STARTTLS/STLS; a server without it is refused
   starttls_if_offered,  // upgrade when offered, else plain text (use_secure_connection: false)
};

// Trust, and the way out, for every connection a call opens (the HTTPS clients receive only this).
struct TlsSettings {
   std::string ca_file;  // PEM bundle of trusted CAs; empty: the system store
   // Connect's `proxy` (net/proxy.h): none, the bag's, or (proxy "system") the environment's per host.
   ProxySettings proxy;
   bool proxy_from_environment = false;
};

const char *to_string(TlsPolicy policy);

// The proxy `settings` give a connection to `host` (net/proxy.h proxy_for).
inline ProxySettings proxy_for(const TlsSettings &settings, const std::string &host,
                               const CallContext &context) {
   return proxy_for(settings.proxy, settings.proxy_from_environment, host, context);
}

// After the greeting of a plain connection: whether to upgrade now with `command` (STARTTLS,
// STLS). Throws Failure(tls_failed) when TLS is required and the server does not offer it; logs a
// warning when continuing in clear text is allowed.
bool decide_starttls(TlsPolicy policy, bool offered, const std::string &server, const char *command,
                     const HostServices &host);

}  // namespace email
