// The fast path for a summary's Date header: most are RFC 5322's own form,
// "Mon, 30 Nov 2026 10:00:00 +0000", and reading those here costs a fraction of GMime's parser
// and the GDateTime and GTimeZone it builds (a tenth of an IMAP listing's CPU went there).
// Anything else (obsolete zone names, two-digit years, comments, a date that does not exist) is
// left to GMime (mime/header_summary.h). Fuzzed against GMime in fuzz/targets/plain_date.cpp:
// what this accepts, GMime reads as the same moment in the same offset.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mailbox/mailbox.h"

namespace email::mime {

struct HeaderDate {
   std::string rfc3339;  // "2026-11-30T10:00:00+00:00", in the header's own offset
   CalendarDate day;
};

// `value` read when it is in the plain form; nullopt when it is not.
std::optional<HeaderDate> read_plain_date(std::string_view value);

// The RFC 3339 text of a local time at `offset_minutes` from UTC (what both paths write).
std::string rfc3339(int year, int month, int day, int hour, int minute, int second, long offset_minutes);

}  // namespace email::mime
