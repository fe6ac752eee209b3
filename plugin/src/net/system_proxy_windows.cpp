// net/system_proxy.h on Windows: Internet Options through WinHTTP, else the environment.
#include "net/system_proxy.h"

#include <windows.h>
#include <winhttp.h>

#include <stdexcept>

#include "net/internet_options_proxy.h"
#include "rpa_common/utf16.h"

namespace email {

namespace {

// Takes a string WinHTTP allocated: its UTF-8 text, and the memory given back.
std::string taken(LPWSTR text) {
   if (!text) return {};
   std::string utf8 = rpa::narrow(text);
   GlobalFree(text);
   return utf8;
}

}  // namespace

ProxySettings system_proxy_for(const std::string &host) {
   WINHTTP_CURRENT_USER_IE_PROXY_CONFIG config{};
   if (WinHttpGetIEProxyConfigForCurrentUser(&config)) {
      const std::string script = taken(config.lpszAutoConfigUrl);
      const std::string proxies = taken(config.lpszProxy);
      const std::string bypass = taken(config.lpszProxyBypass);
      if (!proxies.empty()) {
         try {
            return proxy_from_internet_options(proxies, bypass, host);
         } catch (const std::invalid_argument &error) {
            throw std::invalid_argument(std::string("Windows' Internet Options ") + error.what());
         }
      }
      if (!script.empty())
         throw std::invalid_argument("Windows' Internet Options name a proxy script (" +
                                     script.substr(0, 200) +
                                     ") and no proxy; the plugin does not run proxy scripts: set proxy to "
                                     "the proxy's address (http://host:port)");
   }
   return proxy_from_environment(host);
}

}  // namespace email
