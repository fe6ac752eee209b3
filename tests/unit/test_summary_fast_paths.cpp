// The summary's fast paths beside GMime: MIME parameters as IMAP's BODYSTRUCTURE passes them on
// (mime/header_summary.h: ParameterDecoder), plain address lists (mime/plain_addresses.h) and
// dates (mime/plain_date.h), with the same answers GMime gives.
#include <doctest/doctest.h>

#include "mime/header_summary.h"
#include "mime/plain_addresses.h"
#include "mime/plain_date.h"
#include "mime/plain_text.h"

#include <cstdio>
#include <string>

using email::mime::ParameterDecoder;

namespace {

std::string decoded(std::initializer_list<std::pair<const char *, const char *>> parameters,
                    const char *name) {
   ParameterDecoder decoder;
   for (const auto &[key, value] : parameters) decoder.add(key, value);
   return decoder.get(name);
}

}  // namespace

TEST_CASE("parameters: plain, absent, RFC 2047, RFC 2231, repeated, case") {
   CHECK(decoded({{"charset", "us-ascii"}}, "name") == "");
   CHECK(decoded({}, "filename") == "");
   CHECK(decoded({{"name", "report.pdf"}}, "name") == "report.pdf");
   CHECK(decoded({{"NAME", "report.pdf"}}, "name") == "report.pdf");
   CHECK(decoded({{"name", "a;b c.txt"}}, "name") == "a;b c.txt");
   CHECK(decoded({{"name", "=?utf-8?b?6KuL5rGC5pu4Lnhsc3g=?="}}, "name") == "請求書.xlsx");
   CHECK(decoded({{"filename*", "utf-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf"}}, "filename") == "見積書.pdf");
   CHECK(decoded({{"name", "say \"hi\".txt"}}, "name") == "say \"hi\".txt");  // unquoted by GMime
   // A repeated name is GMime's to settle: the answer is one of them, never both.
   const std::string repeated = decoded({{"name", "a.txt"}, {"name", "b.txt"}}, "name");
   CHECK((repeated == "a.txt" || repeated == "b.txt"));
}

TEST_CASE("address headers: a plain list is read without GMime - anything else is left to it") {
   using email::MailAddress;
   std::vector<MailAddress> out;
   REQUIRE(email::mime::read_plain_addresses(
       "Alice Example <alice@example.com>,bob@example.org , <c@d.example>", out));
   REQUIRE(out.size() == 3);
   CHECK(out[0].name == "Alice Example");
   CHECK(out[0].address == "alice@example.com");
   CHECK(out[1].name == "");
   CHECK(out[1].address == "bob@example.org");
   CHECK(out[2].address == "c@d.example");
   for (const char *not_plain :
        {"\"Smith, J.\" <j@x.example>", "=?utf-8?q?caf=C3=A9?= <c@y.example>", "J. Smith <j@x.example>",
         "a@b (comment)", "team: a@b.example;", "a@xn--caf-dma.example", "caf\xC3\xA9 <c@y.example>",
         "Two  Spaces <t@s.example>", "a@b.example,,c@d.example", "Name<n@x.example>", ""}) {
      CAPTURE(not_plain);
      std::vector<MailAddress> none;
      CHECK_FALSE(email::mime::read_plain_addresses(not_plain, none));
      CHECK(none.empty());
   }
}

TEST_CASE(
    "dates: RFC 5322's own form is read without GMime - in the header's offset - the rest is left to it") {
   const auto date = email::mime::read_plain_date(" Mon, 30 Nov 2026 10:00:00 +0900 ");
   REQUIRE(date);
   CHECK(date->rfc3339 == "2026-11-30T10:00:00+09:00");
   CHECK(date->day.year == 2026);
   CHECK(date->day.month == 11);
   CHECK(date->day.day == 30);
   CHECK(email::mime::read_plain_date("1 Feb 2024 23:59 -0830")->rfc3339 == "2024-02-01T23:59:00-08:30");
   CHECK(email::mime::read_plain_date("29 Feb 2028 07:08:09 -0000")->rfc3339 == "2028-02-29T07:08:09+00:00");
   for (const char *not_plain : {"Mon, 30 Nov 2026 10:00:00 GMT", "30 Nov 26 10:00:00 +0000",
                                 "Tue, 29 Feb 2027 07:08:09 +0900", "Mon, 30 Nov 2026 10:00:00 +0000 (UTC)",
                                 "Mon,30 Nov 2026 10:00:00 +0000", "30 Nov 2026 24:00:00 +0000", ""}) {
      CAPTURE(not_plain);
      CHECK_FALSE(email::mime::read_plain_date(not_plain));
   }
}

TEST_CASE(
    "rfc3339 writes what printf's %04d-%02d-%02dT%02d:%02d:%02d+hh:mm writes - and falls back to it out of "
    "range") {
   const auto printed = [](int year, int month, int day, int hour, int minute, int second, long offset) {
      const long magnitude = offset < 0 ? -offset : offset;
      char text[96];
      std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", year, month, day, hour,
                    minute, second, offset < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
      return std::string(text);
   };
   for (int year : {0, 1, 99, 1970, 2026, 9999, 10000, -1})
      for (int two : {0, 7, 10, 59, 99, 100, -3})
         for (long offset : {0L, 1L, -1L, 540L, -510L, 1439L, 6000L, -6000L}) {
            CAPTURE(year);
            CAPTURE(two);
            CAPTURE(offset);
            CHECK(email::mime::rfc3339(year, two, two, two, two, two, offset) ==
                  printed(year, two, two, two, two, two, offset));
            CHECK(email::mime::rfc3339(year, 12, 31, 23, two, 5, offset) ==
                  printed(year, 12, 31, 23, two, 5, offset));
         }
}

TEST_CASE(
    "subjects and Message-IDs: plain ASCII is read without GMime - the same text GMime gives - the rest is "
    "left to it") {
   CHECK(email::mime::read_plain_subject(" Invoice 42 for November ") ==
         std::string("Invoice 42 for November "));
   CHECK(email::mime::read_plain_subject("") == std::string());
   for (const char *not_plain : {"=?UTF-8?B?w6k=?=", "caf\xc3\xa9", "a\tb", "a=?b"}) {
      CAPTURE(not_plain);
      CHECK_FALSE(email::mime::read_plain_subject(not_plain));
   }
   CHECK(email::mime::read_plain_message_id(" <abc.1$2@mail.example.com> ") ==
         std::string("<abc.1$2@mail.example.com>"));
   for (const char *not_plain : {"<\"quoted\"@example.com>", "<a@[127.0.0.1]>", "<a..b@example.com>",
                                 "<.a@example.com>", "<a@example.com> (comment)", "a@example.com",
                                 "<a b@example.com>", "<@example.com>", "<a@b@example.com>", "<>"}) {
      CAPTURE(not_plain);
      CHECK_FALSE(email::mime::read_plain_message_id(not_plain));
   }
   // Each plain one is what GMime makes of it (fuzz/targets/plain_text.cpp checks any input).
   for (const char *header : {"Subject: Invoice 42\r\nMessage-ID: <abc.1@example.com>\r\n\r\n",
                              "Subject: =?UTF-8?B?w6k=?=\r\nMessage-ID: <\"q\"@example.com>\r\n\r\n"}) {
      CAPTURE(header);
      const auto summary = email::mime::summarize_headers(header);
      CHECK(!summary.subject.empty());
      CHECK(summary.message_id.front() == '<');
   }
}
