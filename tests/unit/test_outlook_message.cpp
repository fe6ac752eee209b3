// The Outlook connection's platform-neutral parts, run on both systems: its message references
// (EntryID + StoreID), the DASL filter a search becomes, and the RFC 822 message built from an
// item's transport headers, bodies and saved attachments, read back by the same MIME reader the
// sibling actions use.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "message_file_helpers.h"
#include "mime/message_file.h"
#include "outlook/outlook_filter.h"
#include "outlook/outlook_mime.h"
#include "outlook/outlook_ref.h"
#include "properties/action_schema.h"
#include "util/failure.h"
#include "util/files.h"

using namespace email;

namespace {

std::string built(const OutlookItemContent &item) {
   std::string message;
   write_outlook_message(item, [&](std::string_view chunk) { message.append(chunk); });
   return message;
}

void write_file(const std::string &path, const std::string &bytes) {
   std::ofstream out(std::filesystem::u8path(path), std::ios::binary);
   out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_SUITE("outlook") {

TEST_CASE("Outlook references: EntryID and StoreID in hex, another backend's or a broken one refused") {
   const std::string ref = make_outlook_ref("00000000AB12", "0000CD34");
   CHECK(ref == "outlook:00000000AB12:0000CD34");
   const std::optional<OutlookRef> parsed = parse_outlook_ref(ref);
   REQUIRE(parsed);
   CHECK(parsed->entry_id == "00000000AB12");
   CHECK(parsed->store_id == "0000CD34");
   for (const char *bad :
        {"", "outlook:", "outlook::", "outlook:AB12", "outlook:AB12:", "outlook::CD34", "outlook:AB 12:CD34",
         "outlook:AB12:CD34:EF", "graph:AAMk", "imap:INBOX:1:1", "OUTLOOK:AB:CD", "outlook:ZZ:CD"})
      CHECK_MESSAGE(!parse_outlook_ref(bad), bad);
   CHECK(!parse_outlook_ref("outlook:" + std::string(kMaxOutlookIdLength + 1, 'A') + ":CD"));
}

TEST_CASE("Outlook search: every filter as DASL, dates in the locale's text, quotes doubled") {
   const DateText us = [](const CalendarDate &date) {
      return std::to_string(date.month) + "/" + std::to_string(date.day) + "/" + std::to_string(date.year);
   };
   SearchQuery none;
   CHECK(dasl_filter(none, us).empty());
   SearchQuery all;
   all.seen = false;
   all.flagged = true;
   all.has_attachments = true;
   all.since = CalendarDate{2026, 11, 10};
   all.before = CalendarDate{2026, 12, 1};
   all.subject = "it's";
   all.from = "yamada";
   all.to = "dave";  // matched by the caller, not by DASL
   CHECK(dasl_filter(all, us) ==
         "@SQL=\"urn:schemas:httpmail:read\" = 0"
         " AND \"http://schemas.microsoft.com/mapi/proptag/0x10900003\" = 2"
         " AND \"urn:schemas:httpmail:hasattachment\" = 1"
         " AND \"urn:schemas:httpmail:datereceived\" >= '11/10/2026'"
         " AND \"urn:schemas:httpmail:datereceived\" < '12/1/2026'"
         " AND \"urn:schemas:httpmail:subject\" LIKE '%it''s%'"
         " AND (\"urn:schemas:httpmail:fromname\" LIKE '%yamada%' OR \"urn:schemas:httpmail:fromemail\" LIKE "
         "'%yamada%')");
   SearchQuery opposite;
   opposite.seen = true;
   opposite.flagged = false;
   opposite.has_attachments = false;
   CHECK(dasl_filter(opposite, us) ==
         "@SQL=\"urn:schemas:httpmail:read\" = 1"
         " AND NOT (\"http://schemas.microsoft.com/mapi/proptag/0x10900003\" = 2)"
         " AND \"urn:schemas:httpmail:hasattachment\" = 0");
   SearchQuery only_to;
   only_to.to = "dave";
   CHECK(dasl_filter(only_to, us).empty());
}

TEST_CASE("Outlook messages: transport headers keep every field but MIME's, folded lines with them") {
   const std::string headers =
       "Received: from a.example\r\n\tby b.example; Mon, 2 Nov 2026 09:00:00 +0000\r\n"
       "From: Alice <alice@example.com>\r\n"
       "Content-Type: multipart/mixed;\r\n boundary=\"old\"\r\n"
       "MIME-Version: 1.0\r\n"
       "content-transfer-encoding: 7bit\r\n"
       "Subject: =?UTF-8?B?5pyI5qyh?=\r\n"
       " continued\r\n"
       "not a field\r\n"
       "Bad Name: x\r\n"
       "\r\n"
       "Body-Like: after the blank line\r\n";
   CHECK(outlook_header_block(headers) ==
         "Received: from a.example\r\n\tby b.example; Mon, 2 Nov 2026 09:00:00 +0000\r\n"
         "From: Alice <alice@example.com>\r\n"
         "Subject: =?UTF-8?B?5pyI5qyh?=\r\n"
         " continued\r\n");
   CHECK(outlook_header_block("From: a@b\nTo: c@d\n") == "From: a@b\r\nTo: c@d\r\n");  // LF only
   CHECK(outlook_header_block("").empty());
   CHECK(outlook_header_block("\r\n\r\n").empty());
}

TEST_CASE(
    "Outlook messages: a received item is its transport headers, both bodies and its attachments "
    "byte for byte, Japanese names by RFC 2231, an inline image in multipart/related") {
   PrivateDirectory saved;
   std::string pdf = "%PDF-1.4\n";
   for (int i = 0; i < 256; ++i) pdf.push_back(static_cast<char>(i));
   write_file(saved.file("1"), pdf);
   write_file(saved.file("2"), "PK\x03\x04 invoice");
   write_file(saved.file("3"), "\x89PNG\r\n\x1a\n image");
   OutlookItemContent item;
   item.transport_headers =
       "From: =?ISO-2022-JP?B?GyRCOzNFRUJATzobKEI=?= <yamada@example.co.jp>\r\nTo: dave@example.com\r\n"
       "Subject: Quarterly report\r\nDate: Mon, 02 Nov 2026 09:00:00 +0000\r\n"
       "Message-ID: <quarterly@example.com>\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n";
   item.text = "Please find the report attached.\r\n";  // Outlook's bodies end lines in CRLF
   item.html = "<p>Please find the <img src=\"cid:logo@example\"> report.</p>";
   item.attachments = {{saved.file("1"), "見積書.pdf", "application/pdf", ""},
                       {saved.file("2"), "請求書.xlsx", "", ""},
                       {saved.file("3"), "logo.png", "image/png", "<logo@example>"}};
   const std::string raw = built(item);
   CHECK(raw.find("Message-ID: <quarterly@example.com>\r\n") != std::string::npos);
   CHECK(raw.find("boundary=\"x\"") == std::string::npos);  // the old structure's header is gone
   CHECK(raw.find("MIME-Version: 1.0\r\n") != std::string::npos);
   CHECK(raw.find("multipart/related") != std::string::npos);
   CHECK(raw.find("Content-Id: <logo@example>") != std::string::npos);
   CHECK(raw.find("filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf") != std::string::npos);
   for (std::size_t start = 0, end; start < raw.size(); start = end + 2) {
      end = raw.find("\r\n", start);
      if (end == std::string::npos) end = raw.size();
      REQUIRE(end - start <= 998);
   }

   mime::MessageFile message([&](const ByteSink &sink) { sink(raw); });
   const std::vector<AttachmentInfo> attachments = message.attachments();
   REQUIRE(attachments.size() == 2);  // the inline image is the HTML's, not an attachment (attachment_rule.h)
   CHECK(attachments[0].name == "見積書.pdf");
   CHECK(attachments[0].content_type == "application/pdf");
   CHECK(test::attachment_bytes(message, 0) == pdf);
   CHECK(attachments[1].name == "請求書.xlsx");
   CHECK(attachments[1].content_type == "application/octet-stream");
   CHECK(test::attachment_bytes(message, 1) == "PK\x03\x04 invoice");
   CHECK(raw.find("Content-Disposition: inline") != std::string::npos);
   CHECK(message.text_body() == "Please find the report attached.\r\n");
   CHECK(message.html_body().value_or("").find("cid:logo@example") != std::string::npos);
   CHECK(std::string(g_mime_message_get_subject(message.message())) == "Quarterly report");
}

TEST_CASE(
    "Outlook messages: a sent item without transport headers gets its header from the item, an "
    "attached message stays a message, a missing saved file is a clear error") {
   PrivateDirectory saved;
   write_file(saved.file("1"), "From: carol@example.com\r\nSubject: Meeting notes\r\n\r\nNotes.\r\n");
   write_file(saved.file("2"), std::string("\0\1not a message", 15));
   OutlookItemContent item;
   item.from = MailAddress{"山田太郎", "yamada@example.co.jp"};
   item.to = {{"Dave", "dave@example.com"}, {"", "erin@example.com"}};
   item.cc = {{"Bob", "bob@example.com"}};
   item.subject = "見積書のご送付";
   item.date = 1793610600;  // 2026-11-05T01:30:00Z
   item.message_id = "<mitsumori@example.co.jp>";
   item.text = "お世話になっております。\r\n";
   item.attachments = {{saved.file("1"), "Meeting notes.eml", "message/rfc822", ""},
                       {saved.file("2"), "odd.eml", "message/rfc822", ""}};
   const std::string raw = built(item);
   mime::MessageFile message([&](const ByteSink &sink) { sink(raw); });
   GMimeMessage *parsed = message.message();
   CHECK(std::string(g_mime_message_get_subject(parsed)) == "見積書のご送付");
   CHECK(std::string(g_mime_message_get_message_id(parsed)) == "mitsumori@example.co.jp");
   char *to = internet_address_list_to_string(g_mime_message_get_addresses(parsed, GMIME_ADDRESS_TYPE_TO),
                                              nullptr, FALSE);
   CHECK(std::string(to) == "Dave <dave@example.com>, erin@example.com");
   g_free(to);
   GDateTime *date = g_mime_message_get_date(parsed);
   REQUIRE(date);
   CHECK(g_date_time_to_unix(date) == 1793610600);
   CHECK(message.text_body() == "お世話になっております。\r\n");
   CHECK(raw.find("Content-Type: message/rfc822") != std::string::npos);
   CHECK(raw.find("Subject: Meeting notes") != std::string::npos);  // carried as itself, not base64
   REQUIRE(message.attachments().size() == 2);
   CHECK(test::attachment_bytes(message, 1) ==
         std::string("\0\1not a message", 15));  // no message: bytes kept

   OutlookItemContent missing;
   missing.attachments = {{saved.file("nothing here"), "gone.pdf", "application/pdf", ""}};
   try {
      built(missing);
      FAIL("a missing saved attachment was not refused");
   } catch (const Failure &failure) {
      CHECK(failure.status() == RPA_INTERNAL);
      CHECK(std::string(failure.what()).find("gone.pdf") != std::string::npos);
   }
}

TEST_CASE("private directory: made empty for this user, removed with what it holds") {
   std::string path;
   {
      PrivateDirectory directory;
      path = directory.path();
      CHECK(std::filesystem::is_directory(std::filesystem::u8path(path)));
      std::string error;
      std::FILE *file = open_new_file_for_writing(directory.file("a"), error);
      REQUIRE(file);
      std::fputs("x", file);
      std::fclose(file);
      CHECK(!open_new_file_for_writing(directory.file("a"), error));  // never an existing file
      CHECK(!error.empty());
   }
   CHECK(!std::filesystem::exists(std::filesystem::u8path(path)));
}

}  // TEST_SUITE("outlook")
