// net/system_proxy.h on Windows: Internet Options through WinHTTP (a proxy script through WinHTTP's
// autoproxy), else the environment.
#include "net/system_proxy.h"

#include <windows.h>
#include <winhttp.h>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "net/bounded_call.h"
#include "net/internet_options_proxy.h"
#include "rpa_common/utf16.h"
#include "util/text.h"

namespace email {

namespace {

// Takes a string WinHTTP allocated: its UTF-8 text, and the memory given back.
std::string taken(LPWSTR text) {
   if (!text) return {};
   std::string utf8 = rpa::narrow(text);
   GlobalFree(text);
   return utf8;
}

// WinHTTP's autoproxy answer for one URL.
struct ScriptAnswer {
   DWORD error = 0;                                   // 0: the script ran
   DWORD access_type = WINHTTP_ACCESS_TYPE_NO_PROXY;  // NAMED_PROXY: `proxies` lists them
   std::string proxies;                               // "host:port;host:port"
};

// Runs the script at `script_url` for `url` (blocking: WinHTTP downloads the script, with its own
// timeouts set to `timeout`). As Microsoft's autoproxy sample does, the script's server is sent
// the user's Windows sign-in only when it asks for one.
ScriptAnswer run_proxy_script(const std::wstring &script_url, const std::wstring &url,
                              std::chrono::milliseconds timeout) {
   ScriptAnswer answer;
   HINTERNET session = WinHttpOpen(L"rpa-email autoproxy", WINHTTP_ACCESS_TYPE_NO_PROXY,
                                   WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
   if (!session) {
      answer.error = GetLastError();
      return answer;
   }
   const int ms = static_cast<int>(std::max<long long>(1, std::min<long long>(timeout.count(), 600000)));
   WinHttpSetTimeouts(session, ms, ms, ms, ms);
   WINHTTP_AUTOPROXY_OPTIONS options{};
   options.dwFlags = WINHTTP_AUTOPROXY_CONFIG_URL;
   options.lpszAutoConfigUrl = script_url.c_str();
   WINHTTP_PROXY_INFO info{};
   BOOL ran = WinHttpGetProxyForUrl(session, url.c_str(), &options, &info);
   if (!ran && GetLastError() == ERROR_WINHTTP_LOGIN_FAILURE) {
      options.fAutoLogonIfChallenged = TRUE;
      ran = WinHttpGetProxyForUrl(session, url.c_str(), &options, &info);
   }
   answer.error = ran ? 0 : GetLastError();
   answer.access_type = info.dwAccessType;
   answer.proxies = taken(info.lpszProxy);
   taken(info.lpszProxyBypass);
   WinHttpCloseHandle(session);
   return answer;
}

std::string script_failure(DWORD error) {
   switch (error) {
   case ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT: return "it could not be downloaded";
   case ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT: return "it failed to run";
   case ERROR_WINHTTP_LOGIN_FAILURE: return "its server refused the Windows sign-in";
   case ERROR_WINHTTP_UNRECOGNIZED_SCHEME: return "its address is not http or https";
   default: return "WinHTTP autoproxy error " + std::to_string(error);
   }
}

// What scripts said, per script and host, for a while: every connection of a call asks again.
struct Remembered {
   std::optional<ProxySettings> proxy;  // nullopt: the script could not be used
   std::chrono::steady_clock::time_point until;
};
constexpr std::chrono::minutes kRemembered{5};
constexpr std::size_t kMaxRemembered = 256;
std::mutex g_remembered_mutex;
std::map<std::string, Remembered> g_remembered;

// The proxy the script at `script_url` names for `host`; nullopt when it cannot be used (said
// in a warning).
std::optional<ProxySettings> proxy_from_script(const std::string &script_url, const std::string &host,
                                               const CallContext &context) {
   const std::string key = script_url + '\n' + host;
   const auto now = std::chrono::steady_clock::now();
   {
      std::lock_guard<std::mutex> lock(g_remembered_mutex);
      const auto found = g_remembered.find(key);
      if (found != g_remembered.end() && found->second.until > now) return found->second.proxy;
   }
   const auto remember = [&](const std::optional<ProxySettings> &proxy) {
      std::lock_guard<std::mutex> lock(g_remembered_mutex);
      if (g_remembered.size() >= kMaxRemembered) g_remembered.clear();
      g_remembered[key] = Remembered{proxy, now + kRemembered};
      return proxy;
   };
   const std::string url = "https://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + "/";
   const std::string waiting_for = "the proxy script " + printable(script_url, 200);
   const ScriptAnswer answer =
       bounded_call(context, waiting_for.c_str(), "Windows' automatic proxy configuration",
                    [script = rpa::widen(script_url), target = rpa::widen(url),
                     timeout = context.remaining()] { return run_proxy_script(script, target, timeout); });
   if (answer.error != 0) {
      context.host().warning("proxy \"system\": the proxy script " + printable(script_url, 200) +
                             " of Windows' Internet Options cannot be used (" + script_failure(answer.error) +
                             "); its other settings apply");
      return remember(std::nullopt);
   }
   ProxySettings proxy;
   if (answer.access_type == WINHTTP_ACCESS_TYPE_NAMED_PROXY && !answer.proxies.empty()) {
      try {  // the script has decided: no bypass list, loopback included
         proxy = proxy_from_internet_options(answer.proxies, "<-loopback>", host);
      } catch (const std::invalid_argument &error) {
         throw std::invalid_argument("proxy script " + printable(script_url, 200) + " " + error.what());
      }
   }
   return remember(proxy);
}

}  // namespace

ProxySettings system_proxy_for(const std::string &host, const CallContext &context) {
   WINHTTP_CURRENT_USER_IE_PROXY_CONFIG config{};
   if (WinHttpGetIEProxyConfigForCurrentUser(&config)) {
      const std::string script = taken(config.lpszAutoConfigUrl);
      const std::string proxies = taken(config.lpszProxy);
      const std::string bypass = taken(config.lpszProxyBypass);
      if (!script.empty()) {
         try {
            if (std::optional<ProxySettings> from_script = proxy_from_script(script, host, context))
               return std::move(*from_script);
         } catch (const std::invalid_argument &error) {
            throw std::invalid_argument(std::string("Windows' Internet Options ") + error.what());
         }
      }
      if (!proxies.empty()) {
         try {
            return proxy_from_internet_options(proxies, bypass, host);
         } catch (const std::invalid_argument &error) {
            throw std::invalid_argument(std::string("Windows' Internet Options ") + error.what());
         }
      }
      if (!script.empty()) return {};  // the script could not be used and names no proxy: direct
   }
   return proxy_from_environment(host);
}

}  // namespace email
