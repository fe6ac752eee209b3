// Windows' Internet Options proxy and bypass lists (net/internet_options_proxy.h), whatever the
// registry holds: the input is "proxy list\nbypass list\nhost". A proxy or nothing, or
// std::invalid_argument; never a crash, and never a proxy without a host.
#include <stdexcept>

#include "fuzz_host.h"
#include "net/internet_options_proxy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   const std::size_t first = input.find('\n');
   const std::size_t second = first == std::string::npos ? std::string::npos : input.find('\n', first + 1);
   const std::string proxies = input.substr(0, first);
   const std::string bypass = first == std::string::npos ? "" : input.substr(first + 1, second - first - 1);
   const std::string host = second == std::string::npos ? "host.test" : input.substr(second + 1);
   try {
      const email::ProxySettings proxy = email::proxy_from_internet_options(proxies, bypass, host);
      if (proxy.enabled() && (proxy.host.empty() || proxy.port == 0)) __builtin_trap();
   } catch (const std::invalid_argument &) {}
   return 0;
}
