// What a message becomes on a new Outlook item (outlook/outlook_new_item.h): the fields, the
// bodies, the attachments and inline images decoded into files, the importance and the threading
// fields, read from the message by GMime. Platform-neutral, run on both systems.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "mime/message_file.h"
#include "outlook/outlook_new_item.h"

using namespace email;

namespace {

std::string read(const std::string &path) {
   std::ifstream in(path, std::ios::binary);
   std::stringstream bytes;
   bytes << in.rdbuf();
   return bytes.str();
}

const char kMessage[] =
    "From: =?UTF-8?B?5bGx55Sw?= <yamada@example.co.jp>\r\n"
    "To: Bob <bob@example.com>, carol@example.com\r\n"
    "Cc: dave@example.com\r\n"
    "Bcc: eve@example.com\r\n"
    "Reply-To: desk@example.com\r\n"
    "Subject: =?UTF-8?B?6KaL56mN5pu4?=\r\n"
    "Message-ID: <abc@example.co.jp>\r\n"
    "In-Reply-To: <parent@example.com>\r\n"
    "References: <root@example.com>\r\n"
    " <parent@example.com>\r\n"
    "X-Priority: 1 (Highest)\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"m\"\r\n"
    "\r\n"
    "--m\r\n"
    "Content-Type: multipart/related; boundary=\"r\"\r\n"
    "\r\n"
    "--r\r\n"
    "Content-Type: multipart/alternative; boundary=\"a\"\r\n"
    "\r\n"
    "--a\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "plain text\r\n"
    "--a\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p><img src=\"cid:logo@x\"></p>\r\n"
    "--a--\r\n"
    "--r\r\n"
    "Content-Type: image/png\r\n"
    "Content-ID: <logo@x>\r\n"
    "Content-Disposition: inline\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "iVBORw0K\r\n"
    "--r--\r\n"
    "--m\r\n"
    "Content-Type: application/pdf; name=\"a.pdf\"\r\n"
    "Content-Disposition: attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "--m--\r\n";

}  // namespace

TEST_CASE("a message becomes an Outlook item: fields, bodies, attachments and inline images as files") {
   mime::MessageFile message([](const ByteSink &sink) { sink(kMessage); });
   PrivateDirectory directory;
   const OutlookNewItem item = outlook_new_item(message, directory);
   CHECK(item.subject == "見積書");
   CHECK(item.to == "Bob <bob@example.com>; carol@example.com");
   CHECK(item.cc == "dave@example.com");
   CHECK(item.bcc == "eve@example.com");
   CHECK(item.reply_to == std::vector<std::string>{"desk@example.com"});
   CHECK(item.from == "yamada@example.co.jp");
   REQUIRE(item.text);
   CHECK(*item.text == "plain text");  // the CRLF before a boundary is the boundary's
   REQUIRE(item.html);
   CHECK(item.html->find("cid:logo@x") != std::string::npos);
   CHECK(item.importance == 2);
   CHECK(item.message_id == "<abc@example.co.jp>");
   CHECK(item.in_reply_to == "<parent@example.com>");
   CHECK(item.references == "<root@example.com> <parent@example.com>");
   REQUIRE(item.attachments.size() == 2);
   CHECK(item.attachments[0].name == "請求.pdf");
   CHECK(item.attachments[0].content_id.empty());
   CHECK(read(item.attachments[0].file) == "%PDF-1.4\n");
   CHECK(item.attachments[1].content_id == "logo@x");
   CHECK(item.attachments[1].name == "logo@x");
   CHECK(read(item.attachments[1].file) == std::string("\x89PNG\r\n", 6));
}

TEST_CASE("importance: the Importance field first, then X-Priority; normal when neither") {
   const auto importance = [](const std::string &fields) {
      const std::string raw =
          "From: a@example.com\r\nTo: b@example.com\r\n" + fields + "Subject: s\r\n\r\nbody\r\n";
      mime::MessageFile message([&](const ByteSink &sink) { sink(raw); });
      PrivateDirectory directory;
      return outlook_new_item(message, directory).importance;
   };
   CHECK(importance("") == 1);
   CHECK(importance("Importance: Low\r\n") == 0);
   CHECK(importance("Importance: high\r\nX-Priority: 5\r\n") == 2);
   CHECK(importance("Importance: normal\r\nX-Priority: 1\r\n") == 1);
   CHECK(importance("X-Priority: 5 (Lowest)\r\n") == 0);
   CHECK(importance("X-Priority: 3\r\n") == 1);
}

TEST_CASE("a message with no body part and no attachment gives an item with neither") {
   mime::MessageFile message([](const ByteSink &sink) { sink("To: b@example.com\r\nSubject: x\r\n\r\n"); });
   PrivateDirectory directory;
   const OutlookNewItem item = outlook_new_item(message, directory);
   CHECK(item.subject == "x");
   CHECK(item.attachments.empty());
   CHECK(item.from.empty());
   CHECK(item.bcc.empty());
}
