#include "net/internet_options_proxy.h"

#include <stdexcept>
#include <vector>

#include "util/text.h"

namespace email {

namespace {

constexpr std::size_t kMaxListBytes = 32 * 1024;  // Internet Options' own fields are far shorter

std::vector<std::string> entries_of(std::string_view list, std::string_view separators) {
   std::vector<std::string> entries;
   std::size_t start = 0;
   while (start < list.size()) {
      std::size_t end = list.find_first_of(separators, start);
      if (end == std::string_view::npos) end = list.size();
      if (end > start) entries.emplace_back(list.substr(start, end - start));
      start = end + 1;
   }
   return entries;
}

// `text` against `pattern`, where '*' is any run of characters: the greedy two-pointer match,
// O(length of text x number of stars) at worst, never recursive.
bool wildcard_match(const std::string &pattern, const std::string &text) {
   std::size_t p = 0, t = 0, star = std::string::npos, resume = 0;
   while (t < text.size()) {
      if (p < pattern.size() && pattern[p] == '*') {
         star = p++;
         resume = t;
      } else if (p < pattern.size() && pattern[p] == text[t]) {
         ++p;
         ++t;
      } else if (star != std::string::npos) {
         p = star + 1;
         t = ++resume;
      } else {
         return false;
      }
   }
   while (p < pattern.size() && pattern[p] == '*') ++p;
   return p == pattern.size();
}

// "scheme://host:port/" -> "host" (brackets of an IPv6 literal kept out).
std::string host_part(std::string entry) {
   const std::size_t scheme = entry.find("://");
   if (scheme != std::string::npos) entry.erase(0, scheme + 3);
   const std::size_t slash = entry.find('/');
   if (slash != std::string::npos) entry.erase(slash);
   if (!entry.empty() && entry.front() == '[') {
      const std::size_t close = entry.find(']');
      return close == std::string::npos ? entry.substr(1) : entry.substr(1, close - 1);
   }
   if (entry.find(':') == entry.rfind(':') && entry.find(':') != std::string::npos)
      entry.erase(entry.find(':'));
   return entry;
}

}  // namespace

bool bypassed_by_internet_options(std::string_view bypass_list, const std::string &host) {
   if (bypass_list.size() > kMaxListBytes) bypass_list = bypass_list.substr(0, kMaxListBytes);
   bool loopback_direct = true;
   for (const std::string &raw : entries_of(bypass_list, "; \t\r\n,")) {
      const std::string entry = to_lower_ascii(raw);
      if (entry == "<-loopback>") loopback_direct = false;
      if (entry == "<local>") {
         if (host.find('.') == std::string::npos && host.find(':') == std::string::npos) return true;
         continue;
      }
      const std::string pattern = host_part(entry);
      if (!pattern.empty() && wildcard_match(pattern, host)) return true;
   }
   return loopback_direct && (host == "localhost" || host == "127.0.0.1" || host == "::1");
}

ProxySettings proxy_from_internet_options(std::string_view proxy_list, std::string_view bypass_list,
                                          const std::string &host) {
   if (proxy_list.size() > kMaxListBytes)
      throw std::invalid_argument("names a proxy list longer than " + std::to_string(kMaxListBytes) +
                                  " bytes");
   std::string https, every, socks;
   for (const std::string &entry : entries_of(proxy_list, "; \t\r\n")) {
      const std::size_t equals = entry.find('=');
      if (equals == std::string::npos) {
         if (every.empty()) every = entry;
         continue;
      }
      const std::string scheme = to_lower_ascii(entry.substr(0, equals));
      const std::string value = entry.substr(equals + 1);
      if (scheme == "https" && https.empty()) https = value;
      if (scheme == "socks" && socks.empty()) socks = value;
   }
   const std::string &chosen = !https.empty() ? https : !every.empty() ? every : socks;
   if (chosen.empty() || bypassed_by_internet_options(bypass_list, to_lower_ascii(host))) return {};
   const bool is_socks = https.empty() && every.empty();
   const std::string url =
       chosen.find("://") != std::string::npos ? chosen : (is_socks ? "socks5://" : "http://") + chosen;
   try {
      return parse_proxy_url(url);
   } catch (const std::invalid_argument &error) {
      throw std::invalid_argument("names the proxy \"" + printable(chosen, 200) + "\", which " +
                                  error.what());
   }
}

}  // namespace email
