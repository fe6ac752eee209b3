// ServerEndpoint: where and how to connect. The resolved, validated network part of a Connect
// property bag, shared by every protocol client.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "net/tls_settings.h"

namespace email {

struct ServerEndpoint {
   std::string host;  // lower-case
   std::uint16_t port = 0;
   TlsPolicy tls = TlsPolicy::implicit;
   TlsSettings tls_settings;
   std::chrono::milliseconds timeout{30000};

   // "host:port", for messages.
   std::string label() const { return host + ":" + std::to_string(port); }
};

}  // namespace email
