// Attachments from the bot's own bytes ("email.send/2", byte sources): the sibling plugin makes
// byte sources up as they are read and sends through grace's IMAP session's SMTP server
// (Dovecot's submission, Postfix, LMTP: tests/peers/smtp/smtp-peer.sh), then reads what arrived
// over IMAP. Each test's subjects carry a token no other test uses.
#include <rapidjson/document.h>

#include <rpa_common/random_hex.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "connect_helpers.h"
#include "files.h"

using test::JsonBag;
using test::RawJson;
using test::TestHost;
using test::read_file;
using test::run_ok;
using test::smtp_peer_available;

namespace {

namespace fs = std::filesystem;

JsonBag sending_bag() {
   JsonBag bag = test::peer_bag("IMAP", "PEER_IMAPS_PORT", "grace");
   bag.set("smtp_host", "localhost")
       .set("smtp_port", test::DovecotPeer::get().port("PEER_SUBMISSION_PORT"))
       .set("smtp_tls_mode", "starttls");
   return bag;
}

// The messages in grace's INBOX whose subject holds `token`.
unsigned arrived(TestHost &host, const std::string &token) {
   JsonBag list;
   list.set("folder", "inbox").set("subject_contains", token);
   return run_ok(host, "Sibling.ListMessages", list)["messages"].Size();
}

std::string repeated(const std::string &text, std::size_t times) {
   std::string bytes;
   bytes.reserve(text.size() * times);
   for (std::size_t i = 0; i < times; ++i) bytes += text;
   return bytes;
}

}  // namespace

TEST_CASE(
    "send: attachments from the bot's byte sources arrive byte for byte - a source that fails, "
    "one named by no attachment or an index with no source: nothing sent") {
   if (!smtp_peer_available()) return;
   TestHost host;
   run_ok(host, "Email.Connect", sending_bag());
   test::TempDirectory dir("rpa-send-sources");
   const std::string token = "send-sources-" + rpa::random_hex(6);
   const std::string line = "2026-12-05,請求書," + rpa::random_hex(8) + ",12345\r\n";  // 45 bytes

   JsonBag send;
   send.set("message",
            RawJson{"{\"from\":\"grace@example.com\",\"to\":\"grace@example.com\",\"subject\":\"" + token +
                    "\",\"text\":\"the report\",\"save_copy\":\"never\",\"attachments\":["
                    "{\"source\":1,\"name\":\"一覧.csv\",\"content_type\":\"text/csv\"},"
                    "{\"source\":0,\"name\":\"report.bin\"}]}"})
       .set("sources", RawJson{"[{\"text\":\"0123456789abcdef\",\"repeat\":200000},{\"text\":" +
                               JsonBag::quote(line) + ",\"repeat\":1000}]"});
   rapidjson::Document sent = run_ok(host, "Sibling.Send", send);
   CHECK_MESSAGE(sent["size"].GetUint64() > 3200000 * 4 / 3, "the 3.2 MB source went in base64");

   const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
   while (arrived(host, token) < 1 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
   JsonBag list;
   list.set("folder", "inbox").set("subject_contains", token);
   rapidjson::Document listed = run_ok(host, "Sibling.ListMessages", list);
   REQUIRE(listed["messages"].Size() == 1);
   const rapidjson::Value &message = listed["messages"][0];
   REQUIRE(message["attachments"].Size() == 2);
   CHECK(std::string(message["attachments"][0]["name"].GetString()) == "一覧.csv");
   CHECK(std::string(message["attachments"][0]["content_type"].GetString()) == "text/csv");
   CHECK(std::string(message["attachments"][1]["name"].GetString()) == "report.bin");
   JsonBag save;
   save.set("ref", message["ref"].GetString()).set("directory", dir.path().u8string());
   run_ok(host, "Sibling.SaveAttachments", save);
   CHECK_MESSAGE(read_file((dir.path() / "report.bin").u8string()) == repeated("0123456789abcdef", 200000),
                 "3.2 MB from the first source, byte for byte");
   CHECK_MESSAGE(read_file((dir.path() / fs::u8path("一覧.csv")).u8string()) == repeated(line, 1000),
                 "the second source's CSV, byte for byte (CRLF kept)");

   const std::string failed_token = token + "-not-sent";
   const std::string request = "{\"from\":\"grace@example.com\",\"to\":\"grace@example.com\",\"subject\":\"" +
                               failed_token + "\",\"attachments\":[{\"source\":0,\"name\":\"a.bin\"}]}";
   JsonBag failing;
   failing.set("message", RawJson{request})
       .set("sources", RawJson{"[{\"text\":\"x\",\"repeat\":1000000,\"fail_after\":100000}]"});
   auto failed = host.run("Sibling.Send", failing.str());
   CHECK(failed.status == RPA_CANCELLED);
   CHECK_MESSAGE(failed.message.find("the byte source of attachments[0]") != std::string::npos,
                 failed.message);
   CHECK_MESSAGE(failed.message.find("nothing was sent") != std::string::npos, failed.message);

   JsonBag unnamed;
   unnamed.set("message", RawJson{request}).set("sources", RawJson{"[{\"text\":\"a\"},{\"text\":\"b\"}]"});
   auto extra = host.run("Sibling.Send", unnamed.str());
   CHECK(extra.status == RPA_INVALID_PROPERTIES);
   CHECK_MESSAGE(extra.message.find("byte source 1 is named by no attachment") != std::string::npos,
                 extra.message);

   JsonBag none;
   none.set("message", RawJson{request}).set("sources", RawJson{"[]"});
   auto missing = host.run("Sibling.Send", none.str());
   CHECK(missing.status == RPA_INVALID_PROPERTIES);
   CHECK_MESSAGE(
       missing.message.find("attachments[0].source 0 names no byte source (0 given)") != std::string::npos,
       missing.message);

   JsonBag both;
   both.set("message",
            RawJson{"{\"to\":\"grace@example.com\",\"attachments\":[{\"source\":0,\"path\":\"/etc/hostname\","
                    "\"name\":\"h\"}]}"})
       .set("sources", RawJson{"[{\"text\":\"a\"}]"});
   auto conflicting = host.run("Sibling.Send", both.str());
   CHECK(conflicting.status == RPA_INVALID_PROPERTIES);
   CHECK_MESSAGE(conflicting.message.find("names both a path and a source") != std::string::npos,
                 conflicting.message);

   std::this_thread::sleep_for(std::chrono::seconds(2));  // what Postfix would have delivered by now
   CHECK_MESSAGE(arrived(host, failed_token) == 0, "nothing of the refused sends arrived");
}
