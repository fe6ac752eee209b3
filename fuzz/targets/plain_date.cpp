// A Date header's value as a summary reads it: where the fast path (mime/plain_date.h) takes the
// value as plain, GMime's parser must read the same local time in the same offset from it.
#include <cstdint>
#include <string>

#include "mime/gmime_runtime.h"
#include "mime/plain_date.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string value(reinterpret_cast<const char *>(data), size);
   if (value.find('\0') != std::string::npos) return 0;
   const auto fast = email::mime::read_plain_date(value);
   if (!fast) return 0;
   email::mime::parser_options();  // starts GMime
   GDateTime *date = g_mime_utils_header_decode_date(value.c_str());
   if (!date) __builtin_trap();
   const std::string by_gmime = email::mime::rfc3339(
       g_date_time_get_year(date), g_date_time_get_month(date), g_date_time_get_day_of_month(date),
       g_date_time_get_hour(date), g_date_time_get_minute(date), g_date_time_get_second(date),
       static_cast<long>(g_date_time_get_utc_offset(date) / G_TIME_SPAN_MINUTE));
   g_date_time_unref(date);
   if (by_gmime != fast->rfc3339) __builtin_trap();
   return 0;
}
