// proxy: "system": the proxy this machine's own settings name for a connection to `host`.
//   Linux: the environment, as curl reads it (https_proxy, all_proxy, no_proxy: net/proxy.h).
//   Windows: the user's Internet Options (WinHttpGetIEProxyConfigForCurrentUser, a registry read),
//   as WinHTTP applies them:
//   - a proxy script (PAC, "Use automatic configuration script") is run for the host by WinHTTP's
//     autoproxy (WinHttpGetProxyForUrl, which downloads the script and runs it), on a worker
//     thread waited for under `context` (net/bounded_call.h). Its answer for a host is kept five
//     minutes. The script's first proxy is taken ("PROXY a:8080; PROXY b:8080" -> a:8080);
//     "DIRECT" connects directly. A script that cannot be downloaded or run is logged as a
//     warning and the settings below apply, as Windows does;
//   - else the proxy list and bypass list (net/internet_options_proxy.h);
//   - else the environment, as on Linux.
//   Automatic detection (WPAD) alone means no proxy: the plugin does not search the network for a
//   script (DHCP and DNS lookups that would cost every Connect on most networks, which have none).
// Implementations: net/system_proxy_posix.cpp, net/system_proxy_windows.cpp.
// Throws std::invalid_argument naming the setting that is wrong; Failure(timeout | cancelled) from
// `context` while a script runs.
#pragma once

#include <string>

#include "net/call_context.h"
#include "net/proxy.h"

namespace email {

ProxySettings system_proxy_for(const std::string &host, const CallContext &context);

}  // namespace email
