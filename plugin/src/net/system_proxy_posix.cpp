// net/system_proxy.h on Linux: the environment.
#include "net/system_proxy.h"

namespace email {

ProxySettings system_proxy_for(const std::string &host, const CallContext &) {
   return proxy_from_environment(host);
}

}  // namespace email
