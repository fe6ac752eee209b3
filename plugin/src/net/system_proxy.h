// proxy: "system": the proxy this machine's own settings name for a connection to `host`.
//   Linux: the environment, as curl reads it (https_proxy, all_proxy, no_proxy: net/proxy.h).
//   Windows: the user's Internet Options (WinHttpGetIEProxyConfigForCurrentUser, a registry read:
//   no network, no wait), applied by net/internet_options_proxy.h; when they name no proxy, the
//   environment as on Linux. A proxy script (PAC) with no proxy named beside it is refused with a
//   message saying to set `proxy` to the proxy's address: the plugin does not run scripts. Automatic
//   detection (WPAD) alone means no proxy.
// Implementations: net/system_proxy_posix.cpp, net/system_proxy_windows.cpp.
// Throws std::invalid_argument naming the setting that is wrong.
#pragma once

#include <string>

#include "net/proxy.h"

namespace email {

ProxySettings system_proxy_for(const std::string &host);

}  // namespace email
