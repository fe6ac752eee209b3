#include "mime/plain_date.h"

#include <cstdio>

namespace email::mime {

namespace {

constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::string_view kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int days_in(int year, int month) {
   static constexpr int kDaysIn[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
   const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
   return month == 2 && leap ? 29 : kDaysIn[month - 1];
}

// Reads `count` digits (exactly, or 1..count when `up_to`) as a number; -1 when they are not there.
int digits(std::string_view &text, std::size_t count, bool up_to = false) {
   std::size_t n = 0;
   int value = 0;
   while (n < count && n < text.size() && text[n] >= '0' && text[n] <= '9')
      value = value * 10 + (text[n++] - '0');
   if (n == 0 || (!up_to && n != count)) return -1;
   text.remove_prefix(n);
   return value;
}

bool take(std::string_view &text, std::string_view what) {
   if (text.size() < what.size()) return false;
   for (std::size_t i = 0; i < what.size(); ++i)  // short words: no call to memcmp
      if (text[i] != what[i]) return false;
   text.remove_prefix(what.size());
   return true;
}

bool one_space(std::string_view &text) { return take(text, " "); }

}  // namespace

std::string rfc3339(int year, int month, int day, int hour, int minute, int second, long offset_minutes) {
   const long magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
   const long zone_hours = magnitude / 60, zone_minutes = magnitude % 60;
   const auto two = [](long value) { return value >= 0 && value <= 99; };
   if (year < 0 || year > 9999 || !two(month) || !two(day) || !two(hour) || !two(minute) || !two(second) ||
       !two(zone_hours)) {
      char text[96];  // room for any int, which -Wformat-truncation counts
      std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", year, month, day, hour,
                    minute, second, offset_minutes < 0 ? '-' : '+', zone_hours, zone_minutes);
      return text;
   }
   // The common case without printf (a listing formats a date per message).
   std::string text = "0000-00-00T00:00:00+00:00";
   const auto put = [&](std::size_t at, long value, int width) {
      for (int i = width - 1; i >= 0; --i, value /= 10) text[at + i] = static_cast<char>('0' + value % 10);
   };
   put(0, year, 4);
   put(5, month, 2);
   put(8, day, 2);
   put(11, hour, 2);
   put(14, minute, 2);
   put(17, second, 2);
   text[19] = offset_minutes < 0 ? '-' : '+';
   put(20, zone_hours, 2);
   put(23, zone_minutes, 2);
   return text;
}

std::optional<HeaderDate> read_plain_date(std::string_view text) {
   while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
   while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
   for (const std::string_view name : kDays)
      if (take(text, name)) {
         if (!take(text, ", ")) return std::nullopt;
         break;
      }
   const int day = digits(text, 2, true);
   if (day < 1 || !one_space(text)) return std::nullopt;
   int month = 0;
   for (int m = 0; m < 12 && month == 0; ++m)
      if (take(text, kMonths[m])) month = m + 1;
   if (month == 0 || !one_space(text)) return std::nullopt;
   const int year = digits(text, 4);
   if (year < 1970 || !one_space(text) || day > days_in(year, month)) return std::nullopt;
   const int hour = digits(text, 2);
   if (hour < 0 || hour > 23 || !take(text, ":")) return std::nullopt;
   const int minute = digits(text, 2);
   if (minute < 0 || minute > 59) return std::nullopt;
   int second = 0;
   if (take(text, ":")) {
      second = digits(text, 2);
      if (second < 0 || second > 59) return std::nullopt;
   }
   if (!one_space(text) || text.size() != 5 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
   const bool west = text[0] == '-';
   text.remove_prefix(1);
   const int zone_hours = digits(text, 2), zone_minutes = digits(text, 2);
   if (zone_hours < 0 || zone_hours > 14 || zone_minutes < 0 || zone_minutes > 59) return std::nullopt;
   const long offset = (west ? -1 : 1) * static_cast<long>(zone_hours * 60 + zone_minutes);
   return HeaderDate{rfc3339(year, month, day, hour, minute, second, offset), CalendarDate{year, month, day}};
}

}  // namespace email::mime
