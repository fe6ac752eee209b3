// Retry-After (RFC 9110 section 10.2.3): how long a server that answered 429 or 503 asks the
// client to wait. The header is either delay-seconds ("120") or an HTTP-date ("Fri, 04 Dec 2026
// 09:00:00 GMT", the IMF-fixdate, read with cpprestsdk's RFC 1123 parser).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace email {

// The wait the header asks for, measured from `now` for a date (a date in the past is no wait);
// nullopt when the header is absent or neither form. Waits are capped at one day (a server's
// "retry next year" is not obeyed past the caller's own deadline anyway).
std::optional<std::chrono::seconds> parse_retry_after(
    std::string_view header, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace email
