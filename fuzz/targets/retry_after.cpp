// Retry-After headers of 429 and 503 answers (http/retry_after.h), whatever a server sends: a wait
// from 0 to one day, or none; never a crash or a negative wait.
#include "fuzz_host.h"
#include "http/retry_after.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   const auto wait = email::parse_retry_after(input, std::chrono::system_clock::time_point());
   if (wait && (wait->count() < 0 || wait->count() > 24 * 60 * 60)) __builtin_trap();
   const auto now = email::parse_retry_after(input);
   if (now && (now->count() < 0 || now->count() > 24 * 60 * 60)) __builtin_trap();
   return 0;
}
