// How a connection protects itself: the choices a Connect property bag makes about TLS.
#pragma once

#include <string>

#include "host/host_services.h"

namespace email {

enum class TlsPolicy {
   implicit,             // TLS from the first byte (993, 995)
   starttls_required,    // upgrade with STARTTLS/STLS; a server without it is refused
   starttls_if_offered,  // upgrade when offered, else plain text (use_secure_connection: false)
};

struct TlsSettings {
   std::string ca_file;  // PEM bundle of trusted CAs; empty: the system store
};

const char *to_string(TlsPolicy policy);

// After the greeting of a plain connection: whether to upgrade now with `command` (STARTTLS,
// STLS). Throws Failure(tls_failed) when TLS is required and the server does not offer it; logs a
// warning when continuing in clear text is allowed.
bool decide_starttls(TlsPolicy policy, bool offered, const std::string &server, const char *command,
                     const HostServices &host);

}  // namespace email
