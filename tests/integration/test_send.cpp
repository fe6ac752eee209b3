// Sending through the session ("email.send/1") end to end: the separately built sibling plugin
// sends through an IMAP session's SMTP server, Dovecot's submission service (STARTTLS, AUTH
// PLAIN, PIPELINING, CHUNKING), which relays through a real Postfix that delivers over LMTP into
// the test Dovecot, where the test reads what arrived over IMAP; and through Postfix alone as a
// company's internal relay (no AUTH, no PIPELINING, no CHUNKING: DATA). grace sends and receives
// (tests/peers/smtp/smtp-peer.sh); each test's subjects carry a token no other test uses.
#include <rapidjson/document.h>

#include <rpa_common/random_hex.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "connect_helpers.h"
#include "files.h"

using test::JsonBag;
using test::RawJson;
using test::TestHost;
using test::random_bytes;
using test::read_file;
using test::run_ok;
using test::smtp_peer_available;

namespace {

namespace fs = std::filesystem;

// grace's IMAP session, sending through `smtp_port` of the peer with STARTTLS.
JsonBag sending_bag(const std::string &smtp_port_name) {
   JsonBag bag = test::peer_bag("IMAP", "PEER_IMAPS_PORT", "grace");
   bag.set("smtp_host", "localhost")
       .set("smtp_port", test::DovecotPeer::get().port(smtp_port_name))
       .set("smtp_tls_mode", "starttls");
   return bag;
}

// The messages of `folder` whose subject holds `token`, once `count` have arrived (Postfix
// delivers in the background); FAILs after 30 seconds.
rapidjson::Document wait_for(TestHost &host, const std::string &folder, const std::string &token,
                             unsigned count) {
   const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
   for (;;) {
      JsonBag list;
      list.set("folder", folder).set("subject_contains", token);
      rapidjson::Document listed = run_ok(host, "Sibling.ListMessages", list);
      if (listed["messages"].Size() >= count) return listed;
      if (std::chrono::steady_clock::now() > deadline)
         FAIL("only " << listed["messages"].Size() << " of " << count << " messages with " << token
                      << " arrived in " << folder);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
   }
}

}  // namespace

TEST_CASE("send: a message with a Japanese attachment goes through submission and Postfix into the INBOX") {
   if (!smtp_peer_available()) return;
   TestHost host;
   auto connected = host.run("Email.Connect", sending_bag("PEER_SUBMISSION_PORT").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK_MESSAGE(connected.message.find(
                     "sends through localhost:" + test::DovecotPeer::get().value("PEER_SUBMISSION_PORT") +
                     " with TLSv1.3 (AUTH PLAIN)") != std::string::npos,
                 connected.message);

   test::TempDirectory dir("rpa-send");
   const std::string invoice = "%PDF-1.4\n" + random_bytes(200000) + "\n%%EOF\n";
   const std::string invoice_path = (dir.path() / fs::u8path("請求書.pdf")).u8string();
   std::ofstream(fs::u8path(invoice_path), std::ios::binary) << invoice;
   const std::string token = "send-check-" + rpa::random_hex(6);
   const std::string subject = "請求書の送付 " + token;
   JsonBag request;
   request.set("from", "グレース <grace@example.com>")
       .set("to", "Grace <grace@example.com>")
       .set("cc", "refused@example.com")
       .set("bcc", RawJson{"[\"grace@example.co.jp\"]"})
       .set("subject", subject)
       .set("text", "請求書を添付します。\n.a line that starts with a dot\n")
       .set("html", "<p>請求書を添付します。</p>")
       .set("importance", "high")
       .set("attachments", RawJson{"[{\"path\":" + JsonBag::quote(invoice_path) + "}]"});
   JsonBag send;
   send.set("message", RawJson{request.str()});
   rapidjson::Document sent = run_ok(host, "Sibling.Send", send);

   REQUIRE(sent["accepted"].Size() == 2);
   CHECK(std::string(sent["accepted"][0].GetString()) == "grace@example.com");
   CHECK(std::string(sent["accepted"][1].GetString()) == "grace@example.co.jp");
   REQUIRE(sent["refused"].Size() == 1);
   CHECK(std::string(sent["refused"][0]["address"].GetString()) == "refused@example.com");
   CHECK_MESSAGE(
       std::string(sent["refused"][0]["reason"].GetString()).find("no such user here") != std::string::npos,
       std::string(sent["refused"][0]["reason"].GetString()));
   CHECK_MESSAGE(sent["round_trips"].GetUint() == 2,
                 "PIPELINING and CHUNKING: the envelope, then the message");
   const std::string message_id = sent["message_id"].GetString();
   CHECK(message_id.find("@example.com>") != std::string::npos);
   CHECK_MESSAGE(sent["sent_ref"].IsString(), "a copy is saved in Sent (save_copy auto)");

   // To and Bcc each get one copy; neither shows the Bcc.
   rapidjson::Document arrived = wait_for(host, "inbox", token, 2);
   CHECK(arrived["messages"].Size() == 2);
   const rapidjson::Value &first = arrived["messages"][0];
   CHECK(std::string(first["subject"].GetString()) == subject);
   REQUIRE(first["attachments"].Size() == 1);
   CHECK(std::string(first["attachments"][0]["name"].GetString()) == "請求書.pdf");
   const std::string ref = first["ref"].GetString();

   JsonBag save;
   save.set("ref", ref).set("directory", dir.path().u8string() + "/saved");
   fs::create_directories(dir.path() / "saved");
   run_ok(host, "Sibling.SaveAttachments", save);
   CHECK_MESSAGE(read_file((dir.path() / "saved" / fs::u8path("請求書.pdf")).u8string()) == invoice,
                 "the attachment arrives byte for byte");

   JsonBag bodies;
   bodies.set("ref", ref);
   rapidjson::Document read = run_ok(host, "Sibling.ReadBodies", bodies);
   CHECK(std::string(read["text"].GetString()) == "請求書を添付します。\n.a line that starts with a dot\n");
   CHECK(std::string(read["html"].GetString()).find("<p>請求書を添付します。</p>") != std::string::npos);

   JsonBag fetch;
   fetch.set("ref", ref).set("file", dir.path().u8string() + "/raw.eml");
   run_ok(host, "Sibling.Fetch", fetch);
   const std::string raw = read_file(dir.path().u8string() + "/raw.eml");
   const std::string header = raw.substr(0, raw.find("\r\n\r\n"));
   CHECK_MESSAGE(header.find("\nBcc:") == std::string::npos, header);
   CHECK(header.find("grace@example.co.jp") == std::string::npos);
   CHECK(header.find("Message-Id: " + message_id) != std::string::npos);
   CHECK(header.find("Importance: high") != std::string::npos);
   CHECK_MESSAGE(header.find("Subject: =?") != std::string::npos, "the subject goes as RFC 2047 words");
   const std::string part = raw.substr(raw.find("Content-Type: application/pdf"), 400);
   CHECK_MESSAGE(part.find("filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf") != std::string::npos, part);
   CHECK_MESSAGE(part.find("name=\"=?UTF-8?b?6KuL5rGC5pu4LnBkZg==?=\"") != std::string::npos, part);

   rapidjson::Document copies = wait_for(host, "sent", token, 1);
   CHECK(copies["messages"].Size() == 1);
   for (const std::string &line : host.logs())
      CHECK_MESSAGE(line.find(test::DovecotPeer::get().password("grace")) == std::string::npos, line);
}

TEST_CASE("send: a relay without AUTH, PIPELINING or CHUNKING takes a raw message over DATA as it is") {
   if (!smtp_peer_available()) return;
   TestHost host;
   auto connected = host.run("Email.Connect", sending_bag("PEER_RELAY_PORT").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK_MESSAGE(connected.message.find("(none (the server offers no AUTH))") != std::string::npos,
                 connected.message);

   test::TempDirectory dir("rpa-send-raw");
   const std::string token = "send-raw-" + rpa::random_hex(6);
   // LF line ends, a Bcc field folded over two lines, and body lines that DATA must dot-stuff.
   const std::string message =
       "From: Grace <grace@example.com>\nTo: grace@example.com\nBcc: someone@example.com,\n"
       " grace@example.co.jp\nSubject: raw " +
       token + "\nMessage-ID: <" + token + "@example.com>\n\nfirst line\n.\n..two dots\nlast line\n";
   std::ofstream(dir.path() / "raw.eml", std::ios::binary) << message;
   JsonBag send;
   send.set("file", (dir.path() / "raw.eml").u8string())
       .set("envelope", RawJson{"{\"save_copy\":\"never\"}"});
   rapidjson::Document sent = run_ok(host, "Sibling.SendRaw", send);
   CHECK(sent["accepted"].Size() == 3);
   CHECK(std::string(sent["message_id"].GetString()) == "<" + token + "@example.com>");
   CHECK(sent["sent_ref"].IsNull());

   rapidjson::Document arrived = wait_for(host, "inbox", token, 2);
   JsonBag fetch;
   fetch.set("ref", arrived["messages"][0]["ref"].GetString())
       .set("file", (dir.path() / "got.eml").u8string());
   run_ok(host, "Sibling.Fetch", fetch);
   const std::string got = read_file((dir.path() / "got.eml").u8string());
   CHECK_MESSAGE(got.find("\r\n\r\nfirst line\r\n.\r\n..two dots\r\nlast line\r\n") != std::string::npos,
                 got);
   CHECK_MESSAGE(got.find("Bcc:") == std::string::npos, got);
   CHECK(got.find("grace@example.co.jp") == std::string::npos);
}

TEST_CASE("send: a connection the server dropped while idle is opened again, and the message sent once") {
   if (!smtp_peer_available()) return;
   TestHost host;
   run_ok(host, "Email.Connect", sending_bag("PEER_IDLE_RELAY_PORT"));
   std::this_thread::sleep_for(std::chrono::seconds(4));  // the relay drops clients idle for 2 s
   const std::string token = "send-idle-" + rpa::random_hex(6);
   JsonBag send;
   send.set("message", RawJson{"{\"from\":\"grace@example.com\",\"to\":\"grace@example.com\",\"subject\":\"" +
                               token + "\",\"save_copy\":\"never\"}"});
   rapidjson::Document sent = run_ok(host, "Sibling.Send", send);
   CHECK(sent["accepted"].Size() == 1);
   CHECK(host.logged("the connection was lost before the message went out"));
   wait_for(host, "inbox", token, 1);
   std::this_thread::sleep_for(std::chrono::seconds(2));  // a second copy would have arrived by now
   CHECK(wait_for(host, "inbox", token, 1)["messages"].Size() == 1);

   // The relay takes at most 100,000 bytes (its SIZE): a larger message is refused before a command.
   test::TempDirectory dir("rpa-send-size");
   std::ofstream(dir.path() / "big.bin", std::ios::binary) << random_bytes(200000);
   JsonBag big;
   big.set("message", RawJson{"{\"from\":\"grace@example.com\",\"to\":\"grace@example.com\",\"subject\":\"" +
                              token + " big\",\"attachments\":[{\"path\":" +
                              JsonBag::quote((dir.path() / "big.bin").u8string()) + "}]}"});
   auto refused = host.run("Sibling.Send", big.str());
   CHECK(refused.status == RPA_INVALID_PROPERTIES);
   CHECK_MESSAGE(refused.message.find("takes messages of at most 0.1 MB (its SIZE); nothing was sent") !=
                     std::string::npos,
                 refused.message);
}

TEST_CASE("send: clear errors, and nothing sent") {
   if (!smtp_peer_available()) return;
   TestHost host;
   test::TempDirectory dir("rpa-send-errors");

   SUBCASE("a session without smtp_host says which field to fill") {
      run_ok(host, "Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT", "grace"));
      JsonBag send;
      send.set("message", RawJson{"{\"to\":\"grace@example.com\"}"});
      auto outcome = host.run("Sibling.Send", send.str());
      CHECK(outcome.status == RPA_UNSUPPORTED);
      CHECK_MESSAGE(outcome.message.find("smtp_host") != std::string::npos, outcome.message);
   }
   SUBCASE("an SMTP port that is not SMTP fails at Connect, saying the mailbox opened and sending does not") {
      JsonBag bag = sending_bag("PEER_IMAPS_PORT");
      bag.set("smtp_tls_mode", "implicit");
      auto outcome = host.run("Email.Connect", bag.str());
      CHECK(outcome.status == RPA_PROTOCOL_ERROR);
      CHECK_MESSAGE(outcome.message.find("the mailbox opened, but sending does not") != std::string::npos,
                    outcome.message);
      CHECK_MESSAGE(outcome.message.find("SMTP") != std::string::npos, outcome.message);
   }
   SUBCASE("smtp_port without smtp_host") {
      JsonBag bag = test::peer_bag("IMAP", "PEER_IMAPS_PORT", "grace");
      bag.set("smtp_port", 587);
      auto outcome = host.run("Email.Connect", bag.str());
      CHECK(outcome.status == RPA_INVALID_PROPERTIES);
      CHECK_MESSAGE(outcome.message.find("smtp_port needs smtp_host") != std::string::npos, outcome.message);
   }
   SUBCASE("every recipient refused, an unknown member, a missing attachment: nothing is sent") {
      run_ok(host, "Email.Connect", sending_bag("PEER_SUBMISSION_PORT"));
      const std::string token = "send-refused-" + rpa::random_hex(6);
      JsonBag refused;
      refused.set("message", RawJson{"{\"from\":\"grace@example.com\",\"to\":\"refused@example.com\",\"save_"
                                     "copy\":\"always\",\"subject\":\"" +
                                     token + "\"}"});
      auto outcome = host.run("Sibling.Send", refused.str());
      CHECK(outcome.status == RPA_INVALID_PROPERTIES);
      CHECK_MESSAGE(outcome.message.find("refused every recipient") != std::string::npos, outcome.message);
      CHECK_MESSAGE(outcome.message.find("nothing was sent") != std::string::npos, outcome.message);

      JsonBag no_sender;  // grace's username is not an address
      no_sender.set("message", RawJson{"{\"to\":\"grace@example.com\",\"subject\":\"" + token + "\"}"});
      outcome = host.run("Sibling.Send", no_sender.str());
      CHECK(outcome.status == RPA_INVALID_PROPERTIES);
      CHECK_MESSAGE(outcome.message.find("give \"from\"") != std::string::npos, outcome.message);

      JsonBag unknown;
      unknown.set("message", RawJson{"{\"to\":\"grace@example.com\",\"colour\":\"red\"}"});
      outcome = host.run("Sibling.Send", unknown.str());
      CHECK(outcome.status == RPA_INVALID_PROPERTIES);
      CHECK_MESSAGE(outcome.message.find("colour") != std::string::npos, outcome.message);

      JsonBag missing;
      missing.set("message",
                  RawJson{"{\"from\":\"grace@example.com\",\"to\":\"grace@example.com\",\"subject\":\"" +
                          token + "\",\"attachments\":[{\"path\":" +
                          JsonBag::quote((dir.path() / "none.pdf").u8string()) + "}]}"});
      outcome = host.run("Sibling.Send", missing.str());
      CHECK(outcome.status == RPA_INVALID_PROPERTIES);
      CHECK_MESSAGE(outcome.message.find("none.pdf") != std::string::npos, outcome.message);

      // The session still sends after those refusals; the refused messages never arrived.
      JsonBag good;
      good.set("message",
               RawJson{"{\"from\":\"grace@example.com\",\"to\":\"grace@example.com\",\"subject\":\"" + token +
                       " good\"}"});
      run_ok(host, "Sibling.Send", good);
      rapidjson::Document arrived = wait_for(host, "inbox", token, 1);
      std::this_thread::sleep_for(std::chrono::seconds(2));  // anything else would have arrived by now
      arrived = wait_for(host, "inbox", token, 1);
      CHECK(arrived["messages"].Size() == 1);
      CHECK(std::string(arrived["messages"][0]["subject"].GetString()) == token + " good");
   }
}

namespace {

// The messages of `listed` whose subject is exactly `subject`.
std::vector<const rapidjson::Value *> with_subject(const rapidjson::Document &listed,
                                                   const std::string &subject) {
   std::vector<const rapidjson::Value *> found;
   for (auto &m : listed["messages"].GetArray())
      if (m["subject"].GetString() == subject) found.push_back(&m);
   return found;
}

// Waits until `count` messages with exactly `subject` (which holds `token`) are in the INBOX.
std::vector<std::string> refs_with_subject(TestHost &host, const std::string &token,
                                           const std::string &subject, unsigned count) {
   const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
   for (;;) {
      JsonBag list;
      list.set("folder", "inbox").set("subject_contains", token);
      rapidjson::Document listed = run_ok(host, "Sibling.ListMessages", list);
      const auto found = with_subject(listed, subject);
      if (found.size() >= count) {
         std::vector<std::string> refs;
         for (const rapidjson::Value *m : found) refs.emplace_back((*m)["ref"].GetString());
         return refs;
      }
      if (std::chrono::steady_clock::now() > deadline)
         FAIL("only " << found.size() << " of " << count << " messages \"" << subject << "\" arrived");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
   }
}

}  // namespace

TEST_CASE("send: reply, reply to all and forward a message of the mailbox") {
   if (!smtp_peer_available()) return;
   TestHost host;
   run_ok(host, "Email.Connect", sending_bag("PEER_SUBMISSION_PORT"));
   test::TempDirectory dir("rpa-reply");
   const std::string token = "reply-" + rpa::random_hex(6);
   const std::string subject = "見積もり " + token;
   const std::string pdf = "%PDF-1.4\n" + random_bytes(5000) + "\n%%EOF\n";
   std::string encoded;  // the PDF in base64, 76 columns
   {
      static const char *digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      std::string line;
      for (std::size_t i = 0; i < pdf.size(); i += 3) {
         const unsigned n = (static_cast<unsigned char>(pdf[i]) << 16) |
                            (i + 1 < pdf.size() ? static_cast<unsigned char>(pdf[i + 1]) << 8 : 0) |
                            (i + 2 < pdf.size() ? static_cast<unsigned char>(pdf[i + 2]) : 0);
         line += digits[(n >> 18) & 63];
         line += digits[(n >> 12) & 63];
         line += i + 1 < pdf.size() ? digits[(n >> 6) & 63] : '=';
         line += i + 2 < pdf.size() ? digits[n & 63] : '=';
         if (line.size() == 76) encoded += line + "\r\n", line.clear();
      }
      encoded += line + "\r\n";
   }
   const std::string original =
       "From: Grace Sender <grace@example.co.jp>\r\nTo: grace@example.com\r\nCc: erin@example.com\r\n"
       "Subject: =?UTF-8?B?6KaL56mN44KC44KK?= " +
       token + "\r\nMessage-ID: <orig-" + token + "@example.co.jp>\r\nReferences: <older-" + token +
       "@example.co.jp>\r\nDate: Thu, 03 Dec 2026 10:00:00 +0900\r\n"
       "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
       "Content-Type: text/plain; charset=utf-8\r\n\r\noriginal line 1\r\noriginal line 2\r\n--b\r\n"
       "Content-Type: application/pdf; name=quote.pdf\r\nContent-Disposition: attachment; "
       "filename=quote.pdf\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n" +
       encoded + "--b--\r\n";
   std::ofstream(dir.path() / "original.eml", std::ios::binary) << original;
   JsonBag append;
   append.set("folder", "INBOX").set("file", (dir.path() / "original.eml").u8string());
   const std::string ref = run_ok(host, "Sibling.Append", append)["ref"].GetString();

   // Reply: to the sender only, Re: once, threaded, the original quoted.
   JsonBag reply;
   reply.set("ref", ref)
       .set("message",
            RawJson{"{\"from\":\"grace@example.com\",\"text\":\"Thank you.\",\"save_copy\":\"never\"}"});
   const auto original_answered = [&] {
      JsonBag list;
      list.set("folder", "inbox").set("subject_contains", token);
      rapidjson::Document listed = run_ok(host, "Sibling.ListMessages", list);
      const auto found = with_subject(listed, subject);
      REQUIRE(found.size() == 1);
      return (*found.front())["answered"].GetBool();
   };
   CHECK_FALSE(original_answered());
   rapidjson::Document replied = run_ok(host, "Sibling.Reply", reply);
   CHECK(replied["original_marked"].GetBool());
   CHECK_MESSAGE(original_answered(), "the original has \\Answered after the reply");
   REQUIRE(replied["accepted"].Size() == 1);
   CHECK(std::string(replied["accepted"][0].GetString()) == "grace@example.co.jp");
   const std::string reply_ref = refs_with_subject(host, token, "Re: " + subject, 1).front();
   JsonBag fetch;
   fetch.set("ref", reply_ref).set("file", (dir.path() / "reply.eml").u8string());
   run_ok(host, "Sibling.Fetch", fetch);
   const std::string raw = read_file((dir.path() / "reply.eml").u8string());
   CHECK(raw.find("In-Reply-To: <orig-" + token + "@example.co.jp>") != std::string::npos);
   const std::size_t references = raw.find("References:");
   REQUIRE(references != std::string::npos);
   const std::string chain = raw.substr(references, 300);
   CHECK_MESSAGE(
       chain.find("<older-" + token + "@example.co.jp>") < chain.find("<orig-" + token + "@example.co.jp>"),
       chain);
   CHECK_MESSAGE(chain.find("<orig-" + token + "@example.co.jp>") != std::string::npos, chain);
   JsonBag bodies;
   bodies.set("ref", reply_ref);
   std::string text = run_ok(host, "Sibling.ReadBodies", bodies)["text"].GetString();
   text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());  // 7-bit text arrives with CRLF
   CHECK_MESSAGE(text.find("Thank you.") == 0, text);
   CHECK_MESSAGE(text.find("Grace Sender wrote:\n> original line 1\n> original line 2") != std::string::npos,
                 text);

   // Reply to all: the original's To and Cc too, the sender's own address left out.
   reply.set("message", RawJson{"{\"from\":\"grace@example.com\",\"all\":true,\"save_copy\":\"never\"}"});
   rapidjson::Document replied_all = run_ok(host, "Sibling.Reply", reply);
   REQUIRE(replied_all["accepted"].Size() == 2);
   CHECK(std::string(replied_all["accepted"][0].GetString()) == "grace@example.co.jp");
   CHECK(std::string(replied_all["accepted"][1].GetString()) == "erin@example.com");

   // Forward inline, in Japanese: the original under its block, its attachment kept byte for byte.
   JsonBag forward;
   forward.set("ref", ref)
       .set("message", RawJson{"{\"from\":\"grace@example.com\",\"to\":\"grace@example.com\","
                               "\"text\":\"ご確認ください。\",\"language\":\"ja\",\"save_copy\":\"never\"}"});
   CHECK(run_ok(host, "Sibling.Forward", forward)["original_marked"].GetBool());  // $Forwarded
   const std::string forward_ref = refs_with_subject(host, token, "Fwd: " + subject, 1).front();
   bodies.set("ref", forward_ref);
   const std::string forwarded_text = run_ok(host, "Sibling.ReadBodies", bodies)["text"].GetString();
   CHECK_MESSAGE(forwarded_text.find("---------- 転送メッセージ ----------") != std::string::npos,
                 forwarded_text);
   CHECK_MESSAGE(forwarded_text.find("original line 2") != std::string::npos, forwarded_text);
   JsonBag save;
   fs::create_directories(dir.path() / "saved");
   save.set("ref", forward_ref).set("directory", (dir.path() / "saved").u8string());
   run_ok(host, "Sibling.SaveAttachments", save);
   CHECK(read_file((dir.path() / "saved" / "quote.pdf").u8string()) == pdf);

   // Forward as an attachment: the original whole, as message/rfc822.
   forward.set("message", RawJson{"{\"from\":\"grace@example.com\",\"to\":\"grace@example.com\","
                                  "\"as_attachment\":true,\"save_copy\":\"never\"}"});
   run_ok(host, "Sibling.Forward", forward);
   const auto forwards = refs_with_subject(host, token, "Fwd: " + subject, 2);
   bool attached = false;
   for (const std::string &each : forwards) {
      JsonBag get;
      get.set("ref", each).set("file", (dir.path() / "forward.eml").u8string());
      run_ok(host, "Sibling.Fetch", get);
      const std::string bytes = read_file((dir.path() / "forward.eml").u8string());
      attached =
          attached || (bytes.find("Content-Type: message/rfc822") != std::string::npos &&
                       bytes.find("Message-ID: <orig-" + token + "@example.co.jp>") != std::string::npos);
   }
   CHECK_MESSAGE(attached, "one forward carries the original as message/rfc822");

   // A reference that names nothing.
   JsonBag gone;
   gone.set("ref", ref + "0").set("message", RawJson{"{\"from\":\"grace@example.com\"}"});
   auto missing = host.run("Sibling.Reply", gone.str());
   CHECK(missing.status != RPA_OK);
}

TEST_CASE("send: iso-2022-jp for Japanese readers - B words and 7-bit JIS text arrive and decode") {
   if (!smtp_peer_available()) return;
   TestHost host;
   run_ok(host, "Email.Connect", sending_bag("PEER_SUBMISSION_PORT"));
   test::TempDirectory dir("rpa-send-jis");
   const std::string token = "jis-" + rpa::random_hex(6);
   JsonBag request;
   request.set("from", "営業部 <grace@example.com>")
       .set("to", "グレース <grace@example.com>")
       .set("subject", "請求書のご送付 " + token)
       .set("text", "請求書を添付します～\nよろしくお願いします。\n")
       .set("charset", "iso-2022-jp")
       .set("save_copy", "never");
   run_ok(host, "Sibling.Send", JsonBag().set("message", RawJson{request.str()}));
   rapidjson::Document arrived = wait_for(host, "inbox", token, 1);
   const auto &message = arrived["messages"][0];
   CHECK(std::string(message["subject"].GetString()) == "請求書のご送付 " + token);
   CHECK(std::string(message["from"].GetString()) == "営業部 <grace@example.com>");
   const std::string ref = message["ref"].GetString();
   run_ok(host, "Sibling.Fetch", JsonBag().set("ref", ref).set("file", (dir.path() / "jis.eml").u8string()));
   const std::string raw = read_file((dir.path() / "jis.eml").u8string());
   CHECK(raw.find("Subject: =?ISO-2022-JP?B?") != std::string::npos);
   CHECK(raw.find("charset=ISO-2022-JP") != std::string::npos);
   CHECK(std::none_of(raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
   std::string text = run_ok(host, "Sibling.ReadBodies", JsonBag().set("ref", ref))["text"].GetString();
   text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
   // On the wire, JIS's wave dash (0x2141); read back, glibc gives U+301C and Windows U+FF5E.
   CHECK(raw.find("\x1b$B@A5a=q$rE:IU$7$^$9!A") != std::string::npos);
   CHECK_MESSAGE((text == "請求書を添付します〜\nよろしくお願いします。\n" ||
                  text == "請求書を添付します～\nよろしくお願いします。\n"),
                 text);

   JsonBag refused;
   refused.set("from", "grace@example.com")
       .set("to", "grace@example.com")
       .set("subject", "㈱ " + token)
       .set("charset", "iso-2022-jp");
   auto outcome = host.run("Sibling.Send", JsonBag().set("message", RawJson{refused.str()}).str());
   CHECK(outcome.status == RPA_INVALID_PROPERTIES);
   CHECK_MESSAGE(test::has(outcome.message, "\"㈱\" (U+3231)"), outcome.message);
}
