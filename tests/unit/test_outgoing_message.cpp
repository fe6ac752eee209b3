// What a bot sends (email.send/1): the request read and refused member by member
// (mime/outgoing_message.h), the message composed with GMime and a raw message spooled for the wire
// (mime/message_composer.h): CRLF lines, no Bcc field, the envelope from the right places.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "mime/message_composer.h"
#include "mime/message_file.h"
#include "mime/outgoing_message.h"
#include "mime/reply_builder.h"
#include "util/failure.h"
#include "util/text.h"

using namespace email;

namespace {

std::string refusal(const char *json) {
   try {
      (void)parse_send_request(json);
   } catch (const Failure &failure) {
      CHECK(failure.status() == RPA_INVALID_PROPERTIES);
      return failure.what();
   }
   FAIL("accepted: " << json);
   return "";
}

std::string contents(ComposedMessage &message) {
   std::string bytes(static_cast<std::size_t>(message.size), '\0');
   ComposedReader reader(message);
   std::size_t have = 0;
   while (const std::size_t got =
              reader.read(bytes.data() + have, std::min<std::size_t>(7, bytes.size() - have)))
      have += got;  // in pieces of 7 bytes: across the head, body and tail of a raw message
   REQUIRE(have == bytes.size());
   char more = 0;
   CHECK(reader.read(&more, 1) == 0);
   return bytes;
}

bool crlf_only(const std::string &bytes) {
   for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) return false;
      if (bytes[i] == '\r' && (i + 1 == bytes.size() || bytes[i + 1] != '\n')) return false;
   }
   return true;
}

std::string header_of(const std::string &bytes) { return bytes.substr(0, bytes.find("\r\n\r\n") + 2); }

}  // namespace

TEST_CASE("send request: each bad member is refused by name, before anything is sent") {
   CHECK(refusal("").find("recipient") != std::string::npos);
   CHECK(refusal("[1]").find("is not a JSON object") != std::string::npos);
   CHECK(refusal("{\"subject\":\"x\"}").find("to is missing") != std::string::npos);
   CHECK(refusal("{\"to\":\"a@b.c\",\"colour\":1}").find("colour is not a send request member") !=
         std::string::npos);
   CHECK(refusal("{\"to\":\"a@b.c\",\"importance\":\"urgent\"}").find("importance must be") !=
         std::string::npos);
   CHECK(refusal("{\"to\":\"a@b.c\",\"charset\":\"shift_jis\"}").find("charset must be \"utf-8\" or") !=
         std::string::npos);
   CHECK(refusal("{\"to\":\"a@b.c\",\"attachments\":[{\"name\":\"x.pdf\"}]}")
             .find("attachments[0].path is missing") != std::string::npos);
   CHECK(refusal("{\"to\":\"a@b.c\",\"save_copy\":\"sometimes\"}").find("save_copy must be") !=
         std::string::npos);
   CHECK(refusal("{\"to\":5}").find("to must be an address") != std::string::npos);
   CHECK(refusal("{\"to\":\"a@b.c\",\"from\":\"x@y.z\\r\\nBcc: evil@example.com\"}")
             .find("from must be one line") != std::string::npos);
   CHECK(refusal("{\"to\":\"a@b.c\",\"subject\":\"hi\\r\\nBcc: evil@example.com\"}")
             .find("subject must be one line") != std::string::npos);
   CHECK(refusal("{\"to\":\"a@b.c\",\"attachments\":[{\"source\":0}]}")
             .find("attachments[0].name is missing: the name the recipient sees") != std::string::npos);
   CHECK(refusal("{\"to\":\"a@b.c\",\"attachments\":[{\"source\":-1,\"name\":\"x\"}]}")
             .find("attachments[0].source must be the index of a byte source") != std::string::npos);
   CHECK(refusal("{\"to\":\"a@b.c\",\"attachments\":[{\"source\":0,\"path\":\"/x\",\"name\":\"x\"}]}")
             .find("attachments[0] names both a path and a source") != std::string::npos);
   const OutgoingMessage sourced = parse_send_request(
       "{\"to\":\"a@b.c\",\"attachments\":[{\"source\":2,\"name\":\"r.csv\"},{\"path\":\"/p\"}]}");
   REQUIRE(sourced.attachments.size() == 2);
   CHECK(sourced.attachments[0].source == std::optional<std::size_t>(2));
   CHECK(sourced.attachments[0].path.empty());
   CHECK_FALSE(sourced.attachments[1].source.has_value());
   const OutgoingMessage ok = parse_send_request(
       "{\"to\":[\"a@b.c\",\"d@e.f\"],\"bcc\":\"g@h.i\",\"save_copy\":\"never\",\"importance\":\"low\"}");
   CHECK(ok.to.size() == 2);
   CHECK(ok.bcc.size() == 1);
   CHECK(ok.save_copy == SaveCopy::never);
}

TEST_CASE("address lists: \",\" and \";\" separate, quoted names keep theirs, a non-address is named") {
   const auto found = parse_address_list(
       "a@example.com; \"Sato, Taro\" <taro@example.co.jp>, 山田 <yamada@example.jp>", "to");
   REQUIRE(found.size() == 3);
   CHECK(found[0] == "a@example.com");
   CHECK(found[1] == "taro@example.co.jp");
   CHECK(found[2] == "yamada@example.jp");
   CHECK_THROWS_WITH_AS(parse_address_list("just a name", "cc"), doctest::Contains("cc holds"), Failure);
}

TEST_CASE("compose: no Bcc header, every recipient once in the envelope, CRLF lines, encoded words") {
   OutgoingMessage message = parse_send_request(
       "{\"from\":\"営業部 <sales@example.co.jp>\",\"to\":\"a@example.com\",\"cc\":\"A@example.com; "
       "b@example.com\","
       "\"bcc\":\"secret@example.com\",\"subject\":\"請求書のご送付\",\"text\":\"本文\",\"html\":\"<p>本文</"
       "p>\","
       "\"importance\":\"high\"}");
   ComposedMessage composed = compose_message(message, "");
   CHECK(composed.from == "sales@example.co.jp");
   REQUIRE(composed.recipients.size() == 3);  // A@example.com is a@example.com
   CHECK(composed.recipients[2] == "secret@example.com");
   REQUIRE(composed.bcc.size() == 1);  // for services that read recipients from the message (Graph)
   CHECK(composed.bcc[0] == "secret@example.com");
   CHECK(composed.message_id.find("@example.co.jp>") != std::string::npos);
   const std::string bytes = contents(composed);
   CHECK(crlf_only(bytes));
   const std::string header = header_of(bytes);
   CHECK(header.find("secret@example.com") == std::string::npos);
   CHECK(header.find("Bcc") == std::string::npos);
   CHECK(header.find("Subject: =?UTF-8?") != std::string::npos);
   CHECK(header.find("Importance: high") != std::string::npos);
   CHECK(bytes.find("multipart/alternative") != std::string::npos);
   CHECK_FALSE(composed.eightbit);  // UTF-8 text goes as base64 or quoted-printable
   for (std::size_t start = 0, end; (end = bytes.find("\r\n", start)) != std::string::npos; start = end + 2)
      CHECK(end - start <= 998);
}

TEST_CASE("compose in iso-2022-jp: subject, names and bodies in JIS, 7bit; what JIS lacks is named") {
   OutgoingMessage message = parse_send_request(
       "{\"from\":\"営業部 <sales@example.co.jp>\",\"to\":\"山田様 <yamada@example.co.jp>\","
       "\"subject\":\"請求書のご送付\",\"text\":\"請求書を添付します～\",\"charset\":\"ISO-2022-JP\"}");
   CHECK(message.charset == "iso-2022-jp");
   ComposedMessage composed = compose_message(message, "");
   const std::string bytes = contents(composed);
   const std::string header = header_of(bytes);
   CHECK_MESSAGE(header.find("Subject: =?ISO-2022-JP?B?GyRCQEE1YT1xJE4kNEF3SVUbKEI=?=") != std::string::npos,
                 header);  // 請求書のご送付
   CHECK_MESSAGE(
       header.find("From: =?ISO-2022-JP?B?GyRCMUQ2SEl0GyhC?= <sales@example.co.jp>") != std::string::npos,
       header);  // 営業部
   CHECK_MESSAGE(bytes.find("charset=ISO-2022-JP") != std::string::npos, bytes);
   CHECK(header.find("To: =?ISO-2022-JP?B?GyRCOzNFRE1NGyhC?= <yamada@example.co.jp>") != std::string::npos);
   CHECK(bytes.find("Content-Transfer-Encoding") == std::string::npos);         // 7bit, RFC 2045's default
   CHECK(bytes.find("\x1b$B@A5a=q$rE:IU$7$^$9!A\x1b(B") != std::string::npos);  // ～ as JIS's wave dash
   CHECK_FALSE(composed.eightbit);

   OutgoingMessage refused =
       parse_send_request("{\"to\":\"a@example.com\",\"subject\":\"①のご案内\",\"charset\":\"iso-2022-jp\"}");
   try {
      compose_message(refused, "me@example.com");
      FAIL("composed");
   } catch (const Failure &failure) {
      CHECK(failure.status() == RPA_INVALID_PROPERTIES);
      CHECK_MESSAGE(
          std::string(failure.what()).find("subject: cannot be sent in iso-2022-jp") != std::string::npos,
          failure.what());
      CHECK(std::string(failure.what()).find("\"①\" (U+2460)") != std::string::npos);
   }
}

TEST_CASE("compose: the session's address is the sender when the request names none, and none is an error") {
   OutgoingMessage message = parse_send_request("{\"to\":\"a@example.com\",\"text\":\"x\"}");
   CHECK(compose_message(message, "me@example.com").from == "me@example.com");
   CHECK_THROWS_WITH_AS(compose_message(message, ""), doctest::Contains("give \"from\""), Failure);
}

TEST_CASE("raw message: LF made CRLF, a folded Bcc left out, the envelope from its header") {
   const std::string raw =
       "From: A <a@example.com>\nTo: b@example.com\nBcc: c@example.com,\n d@example.com\n"
       "Subject: s\nMessage-ID: <id-1@example.com>\n\nbody\r\n.dot\rend";
   ComposedMessage spooled = spool_raw_message(raw, {}, "");
   CHECK(spooled.from == "a@example.com");
   REQUIRE(spooled.recipients.size() == 3);
   CHECK(spooled.recipients[2] == "d@example.com");
   CHECK(spooled.bcc == std::vector<std::string>{"c@example.com", "d@example.com"});
   CHECK(spooled.message_id == "<id-1@example.com>");
   const std::string bytes = contents(spooled);
   CHECK(crlf_only(bytes));
   CHECK(
       bytes ==
       "From: A <a@example.com>\r\nTo: b@example.com\r\nSubject: s\r\nMessage-ID: <id-1@example.com>\r\n\r\n"
       "body\r\n.dot\r\nend\r\n");

   RawEnvelope envelope;
   envelope.from = "bounce@example.com";
   envelope.recipients = {"x@example.com"};
   ComposedMessage routed = spool_raw_message(raw, envelope, "");
   CHECK(routed.from == "bounce@example.com");
   REQUIRE(routed.recipients.size() == 1);
   CHECK(routed.recipients[0] == "x@example.com");
   CHECK(routed.bcc == std::vector<std::string>{"x@example.com"});  // in neither To nor Cc

   // A body whose lines end in CRLF already is read from the caller's bytes, not copied; the last
   // line gets its CRLF; the header still loses its Bcc and gets CRLF.
   const std::string clean =
       "From: a@example.com\nBcc: c@example.com\nTo: b@example.com\n\r\nk\xc3\xa4se\r\n.dot\r\nend";
   ComposedMessage viewed = spool_raw_message(clean, {}, "");
   CHECK_FALSE(viewed.file);
   CHECK(viewed.body.data() == clean.data() + clean.find("k\xc3\xa4se"));
   CHECK(viewed.eightbit);
   CHECK(contents(viewed) ==
         "From: a@example.com\r\nTo: b@example.com\r\n\r\nk\xc3\xa4se\r\n.dot\r\nend\r\n");
   CHECK(spooled.file);  // the first one's lone CR: spooled
   CHECK_FALSE(spooled.eightbit);

   CHECK_THROWS_WITH_AS(spool_raw_message("no header here", {}, ""), doctest::Contains("no header"), Failure);
   CHECK_THROWS_WITH_AS(spool_raw_message("Subject: s\n\nx", {}, "me@example.com"),
                        doctest::Contains("no recipient"), Failure);
}

TEST_CASE("reply and forward requests: their own members, and the subject's prefix once") {
   const ReplyRequest reply = parse_reply_request("{\"all\":true,\"language\":\"ja\",\"text\":\"ok\"}");
   CHECK(reply.all);
   CHECK(reply.language == "ja");
   CHECK(parse_reply_request(nullptr).language == "en");
   CHECK_THROWS_WITH_AS(parse_reply_request("{\"to\":\"a@b.c\"}"),
                        doctest::Contains("to is not a reply member"), Failure);
   CHECK_THROWS_WITH_AS(parse_reply_request("{\"language\":\"fr\"}"), doctest::Contains("language must be"),
                        Failure);
   CHECK_THROWS_WITH_AS(parse_forward_request("{\"text\":\"x\"}"), doctest::Contains("to is missing"),
                        Failure);
   CHECK_THROWS_WITH_AS(parse_forward_request("{\"to\":\"a@b.c\",\"subject\":\"x\"}"),
                        doctest::Contains("subject is not a forward member"), Failure);
   CHECK(parse_forward_request("{\"to\":\"a@b.c\",\"as_attachment\":true}").as_attachment);

   const std::vector<std::string> re{"re:", "re：", "返信:"}, fwd{"fwd:", "fw:", "転送:"};
   CHECK(prefixed_subject("見積もり", "Re: ", re) == "Re: 見積もり");
   CHECK(prefixed_subject("RE: 見積もり", "Re: ", re) == "RE: 見積もり");
   CHECK(prefixed_subject("  re: x", "Re: ", re) == "  re: x");
   CHECK(prefixed_subject("返信: x", "Re: ", re) == "返信: x");
   CHECK(prefixed_subject("Fw: x", "Fwd: ", fwd) == "Fw: x");
   CHECK(prefixed_subject("転送: x", "Fwd: ", fwd) == "転送: x");
   CHECK(prefixed_subject("Report", "Fwd: ", fwd) == "Fwd: Report");
   CHECK(prefixed_subject("Read me", "Re: ", re) == "Re: Read me");  // "Re" must be followed by ':'
}

TEST_CASE("a composed message split for Graph: the chosen attachments leave, the rest stays whole") {
   const std::filesystem::path dir = std::filesystem::temp_directory_path() / "rpa-unit-split";
   std::filesystem::create_directories(dir);
   std::ofstream(dir / "big.bin", std::ios::binary) << std::string(300000, 'B');
   std::ofstream(dir / "small.txt", std::ios::binary) << "small one\n";
   OutgoingMessage message = parse_send_request(
       ("{\"from\":\"a@example.com\",\"to\":\"b@example.com\",\"text\":\"hello\",\"attachments\":["
        "{\"path\":\"" +
        (dir / "big.bin").generic_string() + "\"},{\"path\":\"" + (dir / "small.txt").generic_string() +
        "\"}]}")
           .c_str());
   ComposedMessage composed = compose_message(message, "");
   const std::string bytes = contents(composed);
   mime::MessageFile file([&](const ByteSink &sink) { sink(bytes); });
   REQUIRE(file.attachments().size() == 2);
   std::string big;
   CHECK(file.write_attachment(0, [&](std::string_view chunk) { big.append(chunk); }).size == 300000);
   CHECK(big == std::string(300000, 'B'));
   const std::string rest = file.without_attachments({0});
   CHECK(rest.size() < 10000);
   CHECK(crlf_only(rest));
   CHECK(rest.find("big.bin") == std::string::npos);
   CHECK(rest.find("small.txt") != std::string::npos);
   mime::MessageFile again([&](const ByteSink &sink) { sink(rest); });
   REQUIRE(again.attachments().size() == 1);
   CHECK(again.attachments()[0].name == "small.txt");
   CHECK(again.text_body().value_or("").find("hello") == 0);
   std::filesystem::remove_all(dir);
}

TEST_CASE("is_ascii finds a byte of 0x80 or more wherever it is, in words of eight and in the rest") {
   std::string text(200, 'a');
   CHECK(is_ascii(text));
   CHECK(is_ascii(std::string_view()));
   for (std::size_t i = 0; i < text.size(); ++i) {
      std::string one = text;
      one[i] = static_cast<char>(0x80 + i % 128);
      CHECK_MESSAGE(!is_ascii(one), "a high byte at " << i);
   }
}
