#include "net/tls_settings.h"

#include "util/failure.h"

namespace email {

const char *to_string(TlsPolicy policy) {
   switch (policy) {
   case TlsPolicy::implicit: return "implicit TLS";
   case TlsPolicy::starttls_required: return "STARTTLS (required)";
   case TlsPolicy::starttls_if_offered: return "STARTTLS when offered";
   }
   return "?";
}

bool decide_starttls(TlsPolicy policy, bool offered, const std::string &server, const char *command,
                     const HostServices &host) {
   if (policy == TlsPolicy::implicit) return false;
   if (offered) return true;
   if (policy == TlsPolicy::starttls_required)
      throw Failure(RPA_TLS_FAILED,
                    server + " does not offer " + command +
                        ", and use_secure_connection requires TLS; refusing to continue in clear "
                        "text (use port 993/995 or tls_mode \"implicit\" if the server speaks TLS "
                        "from the start)");
   host.warning(server + " does not offer " + command +
                "; continuing WITHOUT encryption because use_secure_connection is false");
   return false;
}

}  // namespace email
