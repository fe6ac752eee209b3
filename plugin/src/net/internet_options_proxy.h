// Windows' proxy settings (Internet Options, as WinHttpGetIEProxyConfigForCurrentUser gives them)
// read as the proxy for one connection, the way WinHTTP applies them. Pure, so it is unit-tested on
// every system and fuzzed; net/system_proxy_windows.cpp reads the settings themselves.
//
// `proxy_list` is "host:port" for every protocol, or entries "scheme=host:port" separated by ';'
// or white space ("http=proxy:3128;https=proxy:3129;socks=socks:1080"); a value may carry its own
// scheme ("http://host:port"). The plugin's connections are TLS (or tunnelled through CONNECT like
// TLS), so the "https=" entry is taken, else an entry for every protocol, else "socks=" (spoken as
// SOCKS5, names resolved on this side: Windows means SOCKS4 by it, and SOCKS servers commonly speak
// both); an "http=" or "ftp=" entry alone means a direct connection, as for WinHTTP.
//
// `bypass_list` names hosts that go direct, separated by ';', ',' or white space: "<local>" (a name
// without a dot), "*.contoso.com" (a '*' is any run of characters), "contoso.com", "10.*"; a
// scheme or port on an entry is ignored. "localhost", 127.0.0.1 and ::1 always go direct, unless
// the list has "<-loopback>", as Windows does since Windows 8.
//
// Throws std::invalid_argument saying what is wrong with the chosen entry.
#pragma once

#include <string>
#include <string_view>

#include "net/proxy.h"

namespace email {

ProxySettings proxy_from_internet_options(std::string_view proxy_list, std::string_view bypass_list,
                                          const std::string &host);

// Whether `bypass_list` sends `host` (lower-case) direct. Exposed for the tests.
bool bypassed_by_internet_options(std::string_view bypass_list, const std::string &host);

}  // namespace email
