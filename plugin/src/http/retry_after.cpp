#include "http/retry_after.h"

#include <cpprest/asyncrt_utils.h>

#include <algorithm>

namespace email {

namespace {
constexpr long long kMaxWaitSeconds = 24 * 60 * 60;
constexpr long long kTicksPerSecond = 10 * 1000 * 1000;     // cpprestsdk's 100 ns ticks
constexpr long long kEpochFrom1601Seconds = 11644473600LL;  // its epoch is 1601-01-01
}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view header,
                                                      std::chrono::system_clock::time_point now) {
   while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) header.remove_prefix(1);
   while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.remove_suffix(1);
   if (header.empty() || header.size() > 64) return std::nullopt;
   if (header.find_first_not_of("0123456789") == std::string_view::npos) {
      long long seconds = 0;
      for (char digit : header) seconds = std::min(kMaxWaitSeconds, seconds * 10 + (digit - '0'));
      return std::chrono::seconds(seconds);
   }
   // An HTTP-date names its weekday first ("Fri, ..."); cpprestsdk also takes other RFC 1123 forms.
   if (header.size() < 4 || header[3] != ',') return std::nullopt;
   const utility::datetime date = utility::datetime::from_string(
       utility::conversions::to_string_t(std::string(header)), utility::datetime::RFC_1123);
   if (!date.is_initialized()) return std::nullopt;
   const long long at = static_cast<long long>(date.to_interval() / kTicksPerSecond) - kEpochFrom1601Seconds;
   const long long from = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
   return std::chrono::seconds(std::clamp(at - from, 0LL, kMaxWaitSeconds));
}

}  // namespace email
