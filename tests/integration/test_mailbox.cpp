// The mailbox interface ("email.mailbox/1") end to end: the separately built sibling plugin lists,
// fetches, decodes, marks, moves, copies, deletes and stores real mail in the test Dovecot over
// IMAP and POP3 with one piece of code.
//
// dave's mail is seeded by tests/peers/dovecot/seed-mail.py and only read here (INBOX: five
// messages newest last; Bulk: 1,000). Tests that change mail use erin and first store a message
// of their own with a subject no other test uses, so they can run side by side.
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <set>
#include <tuple>

#include "connect_helpers.h"
#include "files.h"
#include "oauth_helpers.h"
#include "platform.h"
#include "imap_script.h"
#include "silent_server.h"
#include "imap/imap_client.h"
#include "rpa/ext/email_mailbox.h"
#include "rpa_common/base64.h"

using test::JsonBag;
using test::TestHost;
using test::random_bytes;
using test::read_file;
using test::run_ok;

namespace {

namespace fs = std::filesystem;

// Connects the session "Default" of `user` over IMAP, POP3 (the Dovecot peer) or EWS (the EWS
// peer, mailbox user@contoso.test, seeded with the same mail for dave) or Graph (app-only, the same).
void connect(TestHost &host, const std::string &protocol, const std::string &user) {
   const JsonBag bag =
       protocol == "EWS" ? test::ews_basic_bag(user + "@contoso.test")
       : protocol == "Graph"
           ? test::graph_app_bag(user + "@contoso.test")
           : test::peer_bag(protocol, protocol == "IMAP" ? "PEER_IMAPS_PORT" : "PEER_POP3S_PORT", user);
   auto connected = host.run("Email.Connect", bag.str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
}

std::vector<std::string> subjects(const rapidjson::Document &listed) {
   std::vector<std::string> found;
   for (auto &m : listed["messages"].GetArray()) found.emplace_back(m["subject"].GetString());
   return found;
}

const rapidjson::Value &message_with_subject(const rapidjson::Document &listed, const std::string &subject) {
   for (auto &m : listed["messages"].GetArray())
      if (m["subject"].GetString() == subject) return m;
   FAIL("no message with the subject " << subject);
   throw std::logic_error("unreachable");
}

// The seeded attachments' exact bytes (seed-mail.py pdf_bytes).
std::string pdf_bytes() {
   std::string bytes = "%PDF-1.4\n";
   for (int round = 0; round < 8; ++round)
      for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
   return bytes + "\n%%EOF\n";
}

// A small message with a subject no other test uses; returns the file and the subject.
std::pair<std::string, std::string> unique_message(const test::TempDirectory &dir, const std::string &what) {
   std::random_device random;
   const std::string subject = what + " " + rpa::random_hex(6);
   const std::string path = dir.file("message.eml");
   std::ofstream(path, std::ios::binary)
       << "From: Erin <erin@example.com>\r\nTo: erin@example.com\r\nSubject: " << subject
       << "\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <" << random()
       << "@example.com>\r\n\r\nHello.\r\n";
   return {path, subject};
}

JsonBag with_ref(const std::string &ref) { return JsonBag().set("ref", ref); }

// The session's info (email.session/1): its round trips and bytes so far.
rapidjson::Document session_info(const rpa_email_session *session) {
   std::string json;
   rpa_text_sink sink = test::string_sink(json);
   REQUIRE(session->info(session, &sink) == RPA_OK);
   rapidjson::Document info;
   info.Parse(json.c_str());
   return info;
}

}  // namespace

TEST_SUITE("mailbox") {

TEST_CASE("IMAP, EWS and Graph: the seeded inbox lists newest first - decoded Japanese names - attachments") {
   for (const std::string protocol : {"IMAP", "EWS", "Graph"}) {
      CAPTURE(protocol);
      TestHost host;
      connect(host, protocol, "dave");
      auto listed = run_ok(host, "Sibling.ListMessages", JsonBag());
      CHECK(subjects(listed) == std::vector<std::string>{"Large attachment", "Fwd: Meeting notes",
                                                         "Newsletter: December", "見積書のご送付",
                                                         "Quarterly report"});
      CHECK(listed["total"].GetUint() == 5);
      CHECK(listed["next_cursor"].IsNull());

      const auto &japanese = message_with_subject(listed, "見積書のご送付");
      CHECK(std::string(japanese["from"].GetString()) == "山田太郎 <yamada@example.co.jp>");
      CHECK(japanese["flagged"].GetBool());
      CHECK_FALSE(japanese["seen"].GetBool());
      REQUIRE(japanese["attachments"].Size() == 2);
      CHECK(std::string(japanese["attachments"][0]["name"].GetString()) == "見積書.pdf");  // RFC 2231
      CHECK(std::string(japanese["attachments"][0]["content_type"].GetString()) == "application/pdf");
      CHECK(std::string(japanese["attachments"][1]["name"].GetString()) == "請求書.xlsx");  // RFC 2047
      // IMAP: the Date header in its own offset; EWS: DateTimeSent in UTC.
      CHECK(std::string(japanese["date"].GetString()) ==
            (protocol == "IMAP" ? "2026-11-05T10:30:00+09:00" : "2026-11-05T01:30:00Z"));

      const auto &quarterly = message_with_subject(listed, "Quarterly report");
      CHECK(quarterly["seen"].GetBool());
      REQUIRE(quarterly["attachments"].Size() == 2);
      CHECK(std::string(quarterly["attachments"][0]["name"].GetString()) == "report.pdf");
      CHECK(std::string(quarterly["attachments"][1]["name"].GetString()) == "notes.txt");

      const auto &forwarded = message_with_subject(listed, "Fwd: Meeting notes");
      REQUIRE(forwarded["attachments"].Size() == 1);
      CHECK(std::string(forwarded["attachments"][0]["name"].GetString()) == "Meeting notes.eml");
      CHECK(std::string(forwarded["attachments"][0]["content_type"].GetString()) == "message/rfc822");

      CHECK(message_with_subject(listed, "Newsletter: December")["attachments"].Size() == 0);
      const auto &big = message_with_subject(listed, "Large attachment");
      const auto estimate = big["attachments"][0]["size"].GetUint64();
      CHECK(estimate > 5200000);  // 5,242,880 decoded, estimated from the base64 size
      CHECK(estimate < 5300000);
      CHECK(big["size"].GetUint64() > 7000000);
   }
}

TEST_CASE("IMAP and POP3: a master user opens dave's mailbox with SASL PLAIN's authorization identity") {
   for (const std::string protocol : {"IMAP", "POP3"}) {
      CAPTURE(protocol);
      TestHost host;
      const std::string port = protocol == "IMAP" ? "PEER_IMAPS_PORT" : "PEER_POP3S_PORT";
      auto connected =
          host.run("Email.Connect", test::peer_bag(protocol, port, "robot").set("mailbox", "dave").str());
      REQUIRE_MESSAGE(connected.ok(), connected.message);
      auto info = test::session_of(connected);  // both the sign-in user and the mailbox
      CHECK(std::string(info["user"].GetString()) == "robot");
      CHECK(std::string(info["mailbox"].GetString()) == "dave");
      auto listed = run_ok(host, "Sibling.ListMessages", JsonBag());
      CHECK(listed["messages"].Size() == 5);  // dave's seeded inbox
      CHECK(test::contains(subjects(listed), "Large attachment"));

      // A user without master rights may not open dave's mailbox: said so, not "wrong password".
      TestHost other;
      auto refused =
          other.run("Email.Connect", test::peer_bag(protocol, port, "bob").set("mailbox", "dave").str());
      CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
      CHECK(test::has(refused.message, "did not let the user open the mailbox \"dave\""));
      CHECK_FALSE(test::has(refused.message, test::DovecotPeer::get().password("bob")));
   }
}

TEST_CASE("IMAP, EWS and Graph: filters - unseen - subject in Japanese - sender - sent dates - attachments") {
   for (const std::string protocol : {"IMAP", "EWS", "Graph"}) {
      CAPTURE(protocol);
      TestHost host;
      connect(host, protocol, "dave");
      auto unseen = run_ok(host, "Sibling.ListMessages", JsonBag().set("unseen_only", true));
      CHECK(unseen["messages"].Size() == 4);
      auto japanese = run_ok(host, "Sibling.ListMessages", JsonBag().set("subject_contains", "見積"));
      CHECK(subjects(japanese) == std::vector<std::string>{"見積書のご送付"});
      auto from_alice = run_ok(host, "Sibling.ListMessages",
                               JsonBag().set("from", "alice@example.com").set("order", "oldest"));
      CHECK(subjects(from_alice) ==
            std::vector<std::string>{"Quarterly report", "Fwd: Meeting notes", "Large attachment"});
      auto since = run_ok(host, "Sibling.ListMessages", JsonBag().set("since", "2026-11-10"));
      CHECK(subjects(since) ==
            std::vector<std::string>{"Large attachment", "Fwd: Meeting notes", "Newsletter: December"});
      auto attached =
          run_ok(host, "Sibling.ListMessages", JsonBag().set("has_attachments", true).set("limit", 2));
      CHECK(subjects(attached) == std::vector<std::string>{"Large attachment", "Fwd: Meeting notes"});
      REQUIRE(attached["next_cursor"].IsString());
      auto rest =
          run_ok(host, "Sibling.ListMessages",
                 JsonBag().set("has_attachments", true).set("cursor", attached["next_cursor"].GetString()));
      CHECK(subjects(rest) == std::vector<std::string>{"見積書のご送付", "Quarterly report"});
      auto flagged = run_ok(host, "Sibling.ListMessages", JsonBag().set("order", "oldest").set("limit", 2));
      CHECK(message_with_subject(flagged, "見積書のご送付")["flagged"].GetBool());
   }
}

TEST_CASE("IMAP, POP3, EWS and Graph: the filters seen, flagged, before and to reach the server") {
   const std::vector<std::string> all = {"Large attachment", "Fwd: Meeting notes", "Newsletter: December",
                                         "見積書のご送付", "Quarterly report"};
   for (const std::string protocol : {"IMAP", "POP3", "EWS", "Graph"}) {
      CAPTURE(protocol);
      TestHost host;
      connect(host, protocol, "dave");
      auto list = [&](const JsonBag &bag) { return subjects(run_ok(host, "Sibling.ListMessages", bag)); };
      CHECK(list(JsonBag()) == all);
      // before: strictly before that calendar day of the Date header.
      CHECK(list(JsonBag().set("before", "2026-11-10")) ==
            std::vector<std::string>{"見積書のご送付", "Quarterly report"});
      CHECK(list(JsonBag().set("before", "2026-11-02")).empty());
      CHECK(list(JsonBag().set("since", "2026-11-05").set("before", "2026-11-15")) ==
            std::vector<std::string>{"Newsletter: December", "見積書のご送付"});
      // to: the To header (the forwarded message's own To, alice, is inside it, not on it).
      CHECK(list(JsonBag().set("to", "dave@example.com")) == all);
      CHECK(list(JsonBag().set("to", "alice@example.com")).empty());
      CHECK(list(JsonBag().set("to", "DAVE@EXAMPLE")) == all);  // case-insensitive substring
      if (protocol == "POP3") {                                 // POP3 keeps no flags: said so, never ignored
         for (const char *flag : {"seen", "flagged"}) {
            auto refused = host.run("Sibling.ListMessages", JsonBag().set(flag, true).str());
            CHECK(refused.status == RPA_UNSUPPORTED);
            CHECK(test::has(refused.message, "a POP3 server keeps no flags"));
         }
         continue;
      }
      CHECK(list(JsonBag().set("seen", true)) == std::vector<std::string>{"Quarterly report"});
      CHECK(list(JsonBag().set("seen", false)).size() == 4);
      CHECK(list(JsonBag().set("flagged", true)) == std::vector<std::string>{"見積書のご送付"});
      CHECK(list(JsonBag().set("flagged", false)) ==
            std::vector<std::string>{"Large attachment", "Fwd: Meeting notes", "Newsletter: December",
                                     "Quarterly report"});
      CHECK(list(JsonBag().set("seen", true).set("flagged", true)).empty());
      CHECK(list(JsonBag().set("seen", false).set("flagged", true).set("to", "dave")) ==
            std::vector<std::string>{"見積書のご送付"});
   }
}

TEST_CASE(
    "IMAP, EWS and Graph: 1,000 messages page by cursor - every one once - IMAP: a page in two round "
    "trips") {
   for (const std::string protocol : {"IMAP", "EWS", "Graph"}) {
      CAPTURE(protocol);
      TestHost host;
      connect(host, protocol, "dave");
      std::set<std::string> refs, subjects_seen;
      std::string cursor;
      int pages = 0;
      do {
         JsonBag bag;
         bag.set("folder", "Bulk").set("limit", 400).set("order", "oldest");
         if (!cursor.empty()) bag.set("cursor", cursor);
         auto page = run_ok(host, "Sibling.ListMessages", bag);
         CHECK(page["total"].GetUint() == 1000);
         for (auto &m : page["messages"].GetArray()) {
            refs.insert(m["ref"].GetString());
            subjects_seen.insert(m["subject"].GetString());
         }
         cursor = page["next_cursor"].IsString() ? page["next_cursor"].GetString() : "";
         ++pages;
      } while (!cursor.empty() && pages < 10);
      CHECK(pages == 3);
      CHECK(refs.size() == 1000);
      CHECK(subjects_seen.size() == 1000);
      // A filter the server cannot apply (EWS: the sender) still fills pages and pages on.
      auto sender =
          run_ok(host, "Sibling.ListMessages",
                 JsonBag().set("folder", "Bulk").set("from", "sender3@example.com").set("limit", 100));
      CHECK(sender["messages"].Size() == 100);
      REQUIRE(sender["next_cursor"].IsString());
      auto more = run_ok(host, "Sibling.ListMessages",
                         JsonBag()
                             .set("folder", "Bulk")
                             .set("from", "sender3@example.com")
                             .set("cursor", sender["next_cursor"].GetString()));
      CHECK(more["messages"].Size() == 43);  // 1,000 / 7 senders: 143 are sender3's
      for (auto &m : more["messages"].GetArray())
         CHECK(test::has(m["from"].GetString(), "sender3@example.com"));
      if (protocol == "Graph") {  // a cursor is Graph's page link: never one to another host
         CHECK(test::has(sender["next_cursor"].GetString(), "graph:"));
         for (const char *forged :
              {"graph:0:https://attacker.example/v1.0/me/messages", "graph:0:", "graph:x:/m", "graph:400"}) {
            CAPTURE(forged);
            auto refused =
                host.run("Sibling.ListMessages", JsonBag().set("folder", "Bulk").set("cursor", forged).str());
            CHECK(refused.status == RPA_INVALID_PROPERTIES);
            CHECK(test::has(refused.message, "not a cursor from a Microsoft 365 (Graph) search"));
         }
      }
   }

   // Round trips are counted by the session, not timed: SELECT with UID SEARCH in one flight
   // (another folder is selected now is not assumed), then UID FETCH.
   TestHost fresh;
   connect(fresh, "IMAP", "dave");
   const rpa_email_session *session = test::email_session_named(fresh, "Default");
   auto round_trips = [&] { return session_info(session)["round_trips"].GetUint64(); };
   const auto before = round_trips();
   auto all = run_ok(fresh, "Sibling.ListMessages", JsonBag().set("folder", "Bulk").set("limit", 1000));
   CHECK(all["messages"].Size() == 1000);
   CHECK(round_trips() - before == 3);  // LIST (folders, once per connection), SELECT + SEARCH, FETCH
   const auto second = round_trips();
   run_ok(fresh, "Sibling.ListMessages", JsonBag().set("folder", "Bulk").set("limit", 1000));
   CHECK(round_trips() - second == 2);  // the folder list is known and Bulk is selected
   session->handle.release(&session->handle);

   TestHost inbox;  // the inbox needs no folder list: SELECT + SEARCH, FETCH
   connect(inbox, "IMAP", "dave");
   const rpa_email_session *inbox_session = test::email_session_named(inbox, "Default");
   session = inbox_session;
   const auto inbox_before = round_trips();
   run_ok(inbox, "Sibling.ListMessages", JsonBag());
   CHECK(round_trips() - inbox_before == 2);
   inbox_session->handle.release(&inbox_session->handle);

   // EWS and Graph: a folder by path needs the folder list alone; the roles (EWS's GetFolder of the
   // distinguished folders, Graph's batches of well-known folders) wait until a role is asked for.
   // A folder named by its role needs no folder list either: EWS's GetFolder of that distinguished
   // folder and msgfolderroot, Graph's batch of that well-known folder and msgfolderroot; the
   // folder is at the top, so its path is its name, as the whole list has it. Graph asks for the
   // first page in that same batch (by the well-known name): one round trip.
   for (const auto &[protocol, first, again, by_role] :
        {std::tuple<std::string, int, int, int>{"EWS", 3, 2, 3}, {"Graph", 2, 1, 1}}) {
      CAPTURE(protocol);
      {
         TestHost other;
         connect(other, protocol, "dave");
         session = test::email_session_named(other, "Default");
         const auto other_before = round_trips();
         auto bulk =
             run_ok(other, "Sibling.ListMessages", JsonBag().set("folder", "Bulk").set("limit", 1000));
         CHECK(bulk["messages"].Size() == 1000);
         CHECK(round_trips() - other_before ==
               first);  // EWS: FindFolder, FindItem, GetItem; Graph: folders, page
         auto sent = run_ok(other, "Sibling.FindFolder", JsonBag().set("folder", "sent"));
         CHECK(std::string(sent["role"].GetString()) == "sent");
         auto bulk_found = run_ok(other, "Sibling.FindFolder", JsonBag().set("folder", "Bulk"));
         CHECK_FALSE(bulk_found.HasMember("role"));
         const auto other_again = round_trips();
         run_ok(other, "Sibling.ListMessages", JsonBag().set("folder", "Bulk").set("limit", 10));
         CHECK(round_trips() - other_again == again);  // the folders are known
         session->handle.release(&session->handle);
      }
      TestHost other;
      connect(other, protocol, "dave");
      session = test::email_session_named(other, "Default");
      const auto other_before = round_trips();
      auto inbox_page =
          run_ok(other, "Sibling.ListMessages", JsonBag().set("folder", "inbox").set("limit", 3));
      REQUIRE(inbox_page["messages"].Size() == 3);
      CHECK(round_trips() - other_before == by_role);  // EWS: GetFolder, FindItem, GetItem; Graph: one batch
      const auto other_again = round_trips();
      auto inbox_again =
          run_ok(other, "Sibling.ListMessages", JsonBag().set("folder", "inbox").set("limit", 3));
      CHECK(round_trips() - other_again == again);  // the inbox is known: the page by the folder's id
      REQUIRE(inbox_again["messages"].Size() == 3);
      for (rapidjson::SizeType index = 0; index < 3; ++index)
         CHECK(std::string(inbox_page["messages"][index]["ref"].GetString()) ==
               inbox_again["messages"][index]["ref"].GetString());
      // The first page's cursor goes on where it ended.
      REQUIRE(inbox_page["next_cursor"].IsString());
      auto inbox_next = run_ok(other, "Sibling.ListMessages",
                               JsonBag()
                                   .set("folder", "inbox")
                                   .set("limit", 3)
                                   .set("cursor", inbox_page["next_cursor"].GetString()));
      REQUIRE(inbox_next["messages"].Size() > 0);
      for (rapidjson::SizeType index = 0; index < inbox_page["messages"].Size(); ++index)
         CHECK(std::string(inbox_page["messages"][index]["ref"].GetString()) !=
               inbox_next["messages"][0]["ref"].GetString());
      auto listed = run_ok(other, "Sibling.FindFolder", JsonBag().set("folder", "inbox"));  // the whole list
      CHECK(std::string(listed["role"].GetString()) == "inbox");
      CHECK(std::string(inbox_page["messages"][0]["folder"].GetString()) == listed["path"].GetString());
      run_ok(other, "Sibling.ListMessages",
             JsonBag().set("folder", "sent").set("limit", 5));  // from the list
      session->handle.release(&session->handle);
   }
}

TEST_CASE(
    "IMAP, POP3, EWS and Graph: the raw 5 MB message is written as stored - attachments decoded exactly") {
   for (const std::string protocol : {"IMAP", "POP3", "EWS", "Graph"}) {
      CAPTURE(protocol);
      TestHost host;
      connect(host, protocol, "dave");
      test::TempDirectory dir("rpa-mailbox-test");
      auto listed = run_ok(host, "Sibling.ListMessages", JsonBag());
      const std::string big_ref = message_with_subject(listed, "Large attachment")["ref"].GetString();
      auto fetched = run_ok(host, "Sibling.Fetch", with_ref(big_ref).set("file", dir.file("big.eml")));
      const std::string seeded =
          test::read_file(test::DovecotPeer::get().value("PEER_SEED_DIR") + "/inbox/05.eml");
      CHECK(fetched["size"].GetUint64() == seeded.size());
      CHECK(test::read_file(dir.file("big.eml")) == seeded);

      auto saved = run_ok(host, "Sibling.SaveAttachments", with_ref(big_ref).set("directory", dir.name()));
      REQUIRE(saved["saved"].Size() == 1);
      CHECK(fs::file_size(dir.file("big.bin")) == 5u * 1024 * 1024);

      const std::string japanese_ref = message_with_subject(listed, "見積書のご送付")["ref"].GetString();
      auto japanese =
          run_ok(host, "Sibling.SaveAttachments", with_ref(japanese_ref).set("directory", dir.name()));
      REQUIRE(japanese["saved"].Size() == 2);
      CHECK(test::read_file(dir.file("見積書.pdf")) == pdf_bytes());
      CHECK(test::read_file(dir.file("請求書.xlsx")) == std::string("PK\x03\x04 invoice"));

      const std::string quarterly_ref = message_with_subject(listed, "Quarterly report")["ref"].GetString();
      run_ok(host, "Sibling.SaveAttachments", with_ref(quarterly_ref).set("directory", dir.name()));
      // quoted-printable, decoded; text keeps MIME's canonical CRLF line ends
      CHECK(test::read_file(dir.file("notes.txt")) == "Total: 100 \xE2\x82\xAC\r\n");

      const std::string forwarded_ref = message_with_subject(listed, "Fwd: Meeting notes")["ref"].GetString();
      run_ok(host, "Sibling.SaveAttachments", with_ref(forwarded_ref).set("directory", dir.name()));
      CHECK(test::has(test::read_file(dir.file("Meeting notes.eml")), "Subject: Meeting notes"));
      std::error_code ignored;
      CHECK(fs::directory_iterator(dir.path(), ignored) != fs::directory_iterator());
      for (auto &entry : fs::directory_iterator(dir.path()))  // no temporary file left behind
         CHECK(entry.path().filename().string().find(".part") == std::string::npos);
   }
}

TEST_CASE(
    "IMAP: an attachment is fetched alone - BODYSTRUCTURE, then BINARY of its part - byte for byte as "
    "decoded from the whole message") {
   TestHost imap, pop3;
   connect(imap, "IMAP", "dave");
   connect(pop3, "POP3", "dave");  // POP3 has only the whole message: decoded here
   test::TempDirectory by_part("rpa-mailbox-test"), whole("rpa-mailbox-test");
   const std::string imap_ref =
       message_with_subject(run_ok(imap, "Sibling.ListMessages", JsonBag()), "Large attachment")["ref"]
           .GetString();
   const std::string pop3_ref =
       message_with_subject(run_ok(pop3, "Sibling.ListMessages", JsonBag()), "Large attachment")["ref"]
           .GetString();
   const rpa_email_session *session = test::email_session_named(imap, "Default");
   auto stats = [&] {
      const rapidjson::Document info = session_info(session);
      return std::make_pair(info["round_trips"].GetUint64(), info["bytes_received"].GetUint64());
   };
   const auto before = stats();
   // Attachment 0, then 1, which is past the last: the folder is selected already.
   run_ok(imap, "Sibling.SaveAttachments", with_ref(imap_ref).set("directory", by_part.name()));
   const auto after = stats();
   session->handle.release(&session->handle);
   CHECK(after.first - before.first == 3);  // BODYSTRUCTURE, BINARY[2]; BODYSTRUCTURE
   // The part decoded by the server (5 MB), not the message (7 MB of base64).
   CHECK(after.second - before.second > 5u * 1024 * 1024);
   CHECK(after.second - before.second < 5u * 1024 * 1024 + 16 * 1024);
   run_ok(pop3, "Sibling.SaveAttachments", with_ref(pop3_ref).set("directory", whole.name()));
   CHECK(test::read_file(by_part.file("big.bin")) == test::read_file(whole.file("big.bin")));
   CHECK(fs::file_size(by_part.file("big.bin")) == 5u * 1024 * 1024);
}

TEST_CASE("IMAP without BINARY: the part's base64 is fetched and decoded here - the message is not fetched") {
   const std::string data = random_bytes(100000);
   std::string encoded;
   const std::string text = rpa::base64_text(data);
   for (std::size_t at = 0; at < text.size(); at += 76) encoded += text.substr(at, 76) + "\r\n";
   const std::string structure =
       "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 5 1 NIL NIL NIL "
       "NIL)(\"application\" "
       "\"octet-stream\" (\"name\" \"data.bin\") NIL NIL \"base64\" " +
       std::to_string(encoded.size()) +
       " NIL (\"attachment\" (\"filename\" \"data.bin\")) NIL NIL) \"mixed\")";
   test::ScriptedServer server(
       test::kImapGreeting, test::imap_responder([&](const test::ImapCommand &command) -> std::string {
          const std::string &tag = command.tag;
          const auto has = [&](const char *what) { return command.has(what); };
          if (has(" LIST ")) return "* LIST () \"/\" INBOX\r\n" + tag + " OK done\r\n";
          if (has(" SELECT "))
             return "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + " OK [READ-WRITE] done\r\n";
          if (has("BODYSTRUCTURE"))
             return "* 1 FETCH (UID 42 BODYSTRUCTURE " + structure + ")\r\n" + tag + " OK done\r\n";
          if (has("BODY.PEEK[2]"))
             return "* 1 FETCH (UID 42 BODY[2] {" + std::to_string(encoded.size()) + "}\r\n" + encoded +
                    ")\r\n" + tag + " OK done\r\n";
          return "";
       }));
   TestHost host;
   auto connected =
       host.run("Email.Connect", test::plain_loopback_bag(server.port(), "IMAP", "alice", 30).str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   test::TempDirectory dir("rpa-mailbox-test");
   auto saved =
       run_ok(host, "Sibling.SaveAttachments", with_ref("imap:7:42:INBOX").set("directory", dir.name()));
   CHECK(saved["saved"].Size() == 1);
   CHECK(test::read_file(dir.file("data.bin")) == data);
   host.sessions().clear();
   bool whole_message = false;
   for (const std::string &line : server.received())
      whole_message = whole_message || test::has(line, "BODY.PEEK[]");
   CHECK_FALSE(whole_message);
}

TEST_CASE(
    "IMAP: SELECT and UID SEARCH go in one flight - a folder the server will not open is "
    "folder_not_found and the session goes on in step") {
   bool open = false;  // a folder is selected (RFC 9051 6.3.2: a failed SELECT leaves none)
   test::ScriptedServer server(
       test::kImapGreeting, test::imap_responder([&](const test::ImapCommand &command) -> std::string {
          const std::string &tag = command.tag;
          const auto has = [&](const char *what) { return command.has(what); };
          if (has(" LIST "))
             return "* LIST () \"/\" INBOX\r\n* LIST () \"/\" Gone\r\n" + tag + " OK done\r\n";
          if (has(" SELECT ") && has("Gone")) {
             open = false;
             return tag + " NO [NONEXISTENT] no such folder\r\n";
          }
          if (has(" SELECT ") && has("INBOX")) {
             open = true;
             return "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + " OK [READ-WRITE] done\r\n";
          }
          if (has(" UID SEARCH "))
             return open ? "* SEARCH 42\r\n" + tag + " OK done\r\n" : tag + " BAD no folder is selected\r\n";
          if (has(" UID FETCH 42 ") && open)
             return "* 1 FETCH (UID 42 FLAGS () RFC822.SIZE 30 BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL "
                    "\"7bit\" 2 1 NIL NIL NIL NIL) BODY[HEADER.FIELDS (DATE FROM TO CC SUBJECT MESSAGE-ID)] "
                    "{15}\r\nSubject: Hi\r\n\r\n)\r\n" +
                    tag + " OK done\r\n";
          return "";
       }));
   TestHost host;
   auto connected =
       host.run("Email.Connect", test::plain_loopback_bag(server.port(), "IMAP", "alice", 30).str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   const rpa_email_session *session = test::email_session_named(host, "Default");
   auto round_trips = [&] { return session_info(session)["round_trips"].GetUint64(); };

   auto gone = host.run("Sibling.ListMessages", JsonBag().set("folder", "Gone").str());
   CHECK(gone.status == RPA_FOLDER_NOT_FOUND);
   CHECK(test::has(gone.message, "could not open the folder \"Gone\""));
   CHECK(test::has(gone.message, "no such folder"));

   const auto before = round_trips();
   auto listed = run_ok(host, "Sibling.ListMessages", JsonBag());
   CHECK(round_trips() - before == 2);  // SELECT + UID SEARCH, then UID FETCH
   REQUIRE(listed["messages"].Size() == 1);
   CHECK(std::string(listed["messages"][0]["subject"].GetString()) == "Hi");
   auto stale = host.run("Sibling.ListMessages", JsonBag().set("cursor", "6:10").str());  // UIDVALIDITY is 7
   CHECK(stale.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(stale.message, "the folder was rebuilt since that page"));
   session->handle.release(&session->handle);
   host.sessions().clear();

   std::vector<std::string> commands;  // "SELECT", "UID SEARCH", ...: the name after the tag
   for (const std::string &line : server.received()) {
      std::istringstream words(line);
      std::string tag, name, uid_name;
      words >> tag >> name;
      if (name == "UID" && words >> uid_name) name += " " + uid_name;
      commands.push_back(name);
   }
   const std::vector<std::string> expected = {"SELECT", "UID SEARCH", "SELECT", "UID SEARCH", "UID FETCH"};
   CHECK(std::search(commands.begin(), commands.end(), expected.begin(), expected.end()) != commands.end());
}

TEST_CASE(
    "IMAP: an unsolicited FETCH of a message's flags among the summaries does not replace its summary") {
   // RFC 9051 7.5.2: a server may send FETCH data the client did not ask for (another client set
   // \Seen), here after the summary of the same UID and for a UID listed before it.
   test::ScriptedServer server(
       test::kImapGreeting, test::imap_responder([&](const test::ImapCommand &command) -> std::string {
          const std::string &tag = command.tag;
          if (command.has(" LIST ")) return "* LIST () \"/\" INBOX\r\n" + tag + " OK done\r\n";
          if (command.has(" SELECT "))
             return "* 2 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + " OK [READ-WRITE] done\r\n";
          if (command.has(" UID SEARCH ")) return "* SEARCH 41 42\r\n" + tag + " OK done\r\n";
          const auto summary = [](const char *n, const char *uid, const char *subject) {
             return std::string("* ") + n + " FETCH (UID " + uid +
                    " FLAGS () RFC822.SIZE 30 BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 2 1 NIL "
                    "NIL "
                    "NIL NIL) BODY[HEADER.FIELDS (DATE FROM TO CC SUBJECT MESSAGE-ID)] {15}\r\nSubject: " +
                    subject + "\r\n\r\n)\r\n";
          };
          if (command.has(" UID FETCH 41:42 "))
             return "* 2 FETCH (FLAGS (\\Seen) UID 42)\r\n" + summary("2", "42", "B2") +
                    summary("1", "41", "A1") + "* 1 FETCH (UID 41 FLAGS (\\Seen))\r\n" + tag + " OK done\r\n";
          return "";
       }));
   TestHost host;
   auto connected =
       host.run("Email.Connect", test::plain_loopback_bag(server.port(), "IMAP", "alice", 30).str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   auto listed = run_ok(host, "Sibling.ListMessages", JsonBag());
   REQUIRE(listed["messages"].Size() == 2);
   CHECK(std::string(listed["messages"][0]["ref"].GetString()) == "imap:7:42:INBOX");  // newest first
   CHECK(std::string(listed["messages"][0]["subject"].GetString()) == "B2");
   CHECK(std::string(listed["messages"][1]["subject"].GetString()) == "A1");
   CHECK(listed["messages"][1]["attachments"].IsArray());
   host.sessions().clear();
}

TEST_CASE(
    "IMAP, Graph and EWS: a 24 MB message (40 MB over EWS) is stored and fetched byte for byte - past the 16 "
    "MiB response cap") {
   // Graph's /$value is spooled to a temporary file, not held in memory (http/https_client.h), and
   // so is EWS's GetItem, whose MimeContent is decoded from there (ews/large_element_splitter.h).
   for (const std::string protocol : {"IMAP", "Graph", "EWS"}) {
      CAPTURE(protocol);
      const std::size_t size = (protocol == "EWS" ? 40u : 24u) * 1024 * 1024;
      TestHost host;
      connect(host, protocol, "erin");
      test::TempDirectory dir("rpa-mailbox-test");
      std::random_device random;
      const std::string subject = "Huge " + rpa::random_hex(6);
      std::string message = "From: Erin <erin@example.com>\r\nTo: erin@example.com\r\nSubject: " + subject +
                            "\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <" +
                            std::to_string(random()) + "@example.com>\r\n\r\n";
      const std::string line(74, 'x');
      for (unsigned i = 0; message.size() < size; ++i)
         message += std::to_string(i % 10) + line.substr(1) + "\r\n";
      std::ofstream(dir.file("huge.eml"), std::ios::binary) << message;
      auto appended =
          run_ok(host, "Sibling.Append", JsonBag().set("folder", "inbox").set("file", dir.file("huge.eml")));
      const std::string ref = appended["ref"].GetString();
      auto fetched = run_ok(host, "Sibling.Fetch", with_ref(ref).set("file", dir.file("back.eml")));
      CHECK(fetched["size"].GetUint64() == message.size());
      CHECK(test::read_file(dir.file("back.eml")) == message);
      run_ok(host, "Sibling.Delete", with_ref(ref).set("permanently", true));
   }
}

TEST_CASE("IMAP, POP3, EWS and Graph: text and HTML bodies are decoded to UTF-8 from their charsets") {
   for (const std::string protocol : {"IMAP", "POP3", "EWS", "Graph"}) {
      CAPTURE(protocol);
      TestHost host;
      connect(host, protocol, "dave");
      auto listed = run_ok(host, "Sibling.ListMessages", JsonBag());
      auto html = run_ok(host, "Sibling.ReadBodies",
                         with_ref(message_with_subject(listed, "Newsletter: December")["ref"].GetString()));
      CHECK(html["text"].IsNull());
      CHECK(test::has(html["html"].GetString(), "Café news: <b>December</b>"));
      auto japanese = run_ok(host, "Sibling.ReadBodies",
                             with_ref(message_with_subject(listed, "見積書のご送付")["ref"].GetString()));
      CHECK(test::has(japanese["text"].GetString(), "見積書を添付いたします"));  // from ISO-2022-JP
      CHECK(japanese["html"].IsNull());
   }
}

TEST_CASE(
    "IMAP's connection state: authenticated after sign-in - selected after a search - a folder "
    "the server refuses leaves none selected") {
   const test::DovecotPeer &peer = test::DovecotPeer::get();
   email::ServerEndpoint endpoint;
   endpoint.host = "localhost";
   endpoint.port = static_cast<std::uint16_t>(peer.port("PEER_IMAPS_PORT"));
   endpoint.tls = email::TlsPolicy::implicit;
   endpoint.tls_settings.ca_file = peer.ca_file();
   endpoint.timeout = std::chrono::seconds(20);
   const email::HostServices host(nullptr);
   email::CallContext context(host, endpoint.timeout, endpoint.label());
   auto client =
       email::ImapClient::open(endpoint, "dave", email::SecretString(peer.password("dave")), context);
   CHECK(client->state() == email::ImapState::authenticated);
   CHECK(client->selected() == nullptr);
   email::SearchQuery query;
   query.limit = 1;
   client->mailbox().search("INBOX", query, context);
   CHECK(client->state() == email::ImapState::selected);
   REQUIRE(client->selected() != nullptr);
   CHECK(client->selected()->wire_name == "INBOX");
   CHECK(client->selected()->uidvalidity != 0);
   CHECK_THROWS_AS(client->select("No such folder", "\"No such folder\"", context), email::Failure);
   CHECK(client->state() == email::ImapState::authenticated);
   client->logout(context);
}

// The session's info says what its mailbox can do (email_session.h), and the calls agree with it.
std::string info_list(TestHost &host, const char *member) {
   const rpa_email_session *session = test::email_session_named(host, "Default");
   std::string json;
   rpa_text_sink sink = test::string_sink(json);
   const rpa_status status = session->info(session, &sink);
   session->handle.release(&session->handle);  // email_session_named retained it
   REQUIRE(status == RPA_OK);
   rapidjson::Document info;
   info.Parse(json.c_str());
   REQUIRE(info[member].IsArray());
   std::string names;
   for (const auto &name : info[member].GetArray())
      names += std::string(names.empty() ? "" : ",") + name.GetString();
   return names;
}

TEST_CASE(
    "the session's info lists the mailbox operations and search filters: all for IMAP - fewer for POP3") {
   TestHost imap;
   connect(imap, "IMAP", "dave");
   CHECK(info_list(imap, "mailbox_operations") ==
         "list_folders,find_folder,search,fetch_raw,fetch_attachment,fetch_bodies,set_flags,move,copy,"
         "delete_message,append");
   CHECK(info_list(imap, "search_filters") == "seen,flagged,since,before,from,to,subject,has_attachments");
   TestHost pop3;
   connect(pop3, "POP3", "dave");
   CHECK(info_list(pop3, "mailbox_operations") ==
         "list_folders,find_folder,search,fetch_raw,fetch_attachment,fetch_bodies,delete_message");
   CHECK(info_list(pop3, "search_filters") == "since,before,from,to,subject");
   test::TempDirectory dir("rpa-mailbox-test");
   { std::ofstream(dir.file("note.eml")) << "Subject: note\r\n\r\nhello\r\n"; }
   auto copied = pop3.run("Sibling.Copy", JsonBag().set("ref", "pop3:any").set("folder", "INBOX").str());
   CHECK(copied.status == RPA_UNSUPPORTED);
   CHECK(test::has(copied.message, "POP3 cannot copy messages"));
   auto appended =
       pop3.run("Sibling.Append", JsonBag().set("folder", "INBOX").set("file", dir.file("note.eml")).str());
   CHECK(appended.status == RPA_UNSUPPORTED);
   CHECK(test::has(appended.message, "POP3 cannot store messages"));
}

TEST_CASE("POP3: the same listing with UIDL references - no attachment list - flags and moves unsupported") {
   TestHost host;
   connect(host, "POP3", "dave");
   auto listed = run_ok(host, "Sibling.ListMessages", JsonBag());
   CHECK(subjects(listed) == std::vector<std::string>{"Large attachment", "Fwd: Meeting notes",
                                                      "Newsletter: December", "見積書のご送付",
                                                      "Quarterly report"});
   CHECK(listed["total"].GetUint() == 5);
   const auto &japanese = message_with_subject(listed, "見積書のご送付");
   CHECK(std::string(japanese["ref"].GetString()).rfind("pop3:", 0) == 0);
   CHECK(japanese["attachments"].IsNull());
   CHECK(std::string(japanese["from"].GetString()) == "山田太郎 <yamada@example.co.jp>");
   auto filtered = run_ok(host, "Sibling.ListMessages", JsonBag().set("subject_contains", "見積"));
   CHECK(subjects(filtered) == std::vector<std::string>{"見積書のご送付"});
   CHECK(filtered["total"].IsNull());

   auto flags = host.run("Sibling.SetFlags", with_ref(japanese["ref"].GetString()).set("seen", true).str());
   CHECK(flags.status == RPA_UNSUPPORTED);
   CHECK(test::has(flags.message, "POP3 cannot set flags"));
   auto moved =
       host.run("Sibling.Move", with_ref(japanese["ref"].GetString()).set("folder", "Archive").str());
   CHECK(moved.status == RPA_UNSUPPORTED);
   auto unseen = host.run("Sibling.ListMessages", JsonBag().set("unseen_only", true).str());
   CHECK(unseen.status == RPA_UNSUPPORTED);
   CHECK(host.run("Sibling.ListMessages", JsonBag().set("folder", "Archive").str()).status ==
         RPA_FOLDER_NOT_FOUND);
}

TEST_CASE(
    "IMAP, EWS and Graph: append - flags - copy - move - the old reference is gone - delete to trash, then "
    "for "
    "good") {
   for (const std::string protocol : {"IMAP", "EWS", "Graph"}) {
      CAPTURE(protocol);
      const std::string project = protocol == "IMAP" ? "Project X" : "Inbox/Projects";
      TestHost host;
      connect(host, protocol, "erin");
      test::TempDirectory dir("rpa-mailbox-test");
      auto [file, subject] = unique_message(dir, "Lifecycle");
      auto append = host.run("Sibling.Append", JsonBag().set("folder", "inbox").set("file", file).str());
      REQUIRE_MESSAGE(append.ok(), append.message);
      // Graph documents creation from MIME as a draft; the message says so there only.
      CHECK(test::has(append.message, "stores a message created from MIME as a draft") ==
            (protocol == "Graph"));
      auto appended = test::result_of(append);
      const std::string ref = appended["ref"].GetString();
      REQUIRE(ref.rfind(protocol == "IMAP" ? "imap:" : protocol == "EWS" ? "ews:" : "graph:", 0) == 0);

      auto before = run_ok(host, "Sibling.ListMessages", JsonBag().set("subject_contains", subject));
      REQUIRE(before["messages"].Size() == 1);
      CHECK(std::string(before["messages"][0]["ref"].GetString()) == ref);
      CHECK(before["messages"][0]["seen"].GetBool());  // appended as seen
      run_ok(host, "Sibling.SetFlags", with_ref(ref).set("seen", false).set("flagged", true));
      auto marked = run_ok(host, "Sibling.ListMessages", JsonBag().set("subject_contains", subject));
      CHECK_FALSE(marked["messages"][0]["seen"].GetBool());
      CHECK(marked["messages"][0]["flagged"].GetBool());

      auto copied = run_ok(host, "Sibling.Copy", with_ref(ref).set("folder", project));
      const std::string copy_ref = copied["ref"].GetString();
      CHECK(copy_ref != ref);
      auto in_project = run_ok(host, "Sibling.ListMessages",
                               JsonBag().set("folder", project).set("subject_contains", subject));
      CHECK(in_project["messages"].Size() == 1);

      auto moved = run_ok(host, "Sibling.Move", with_ref(ref).set("folder", "archive"));  // by role
      const std::string moved_ref = moved["ref"].GetString();
      CHECK(moved_ref != ref);
      auto archived = run_ok(host, "Sibling.ListMessages",
                             JsonBag().set("folder", "Archive").set("subject_contains", subject));
      REQUIRE(archived["messages"].Size() == 1);
      CHECK(std::string(archived["messages"][0]["ref"].GetString()) == moved_ref);
      CHECK(run_ok(host, "Sibling.ListMessages", JsonBag().set("subject_contains", subject))["messages"]
                .Size() == 0);
      auto gone = host.run("Sibling.SetFlags", with_ref(ref).set("seen", true).str());
      CHECK(gone.status == RPA_MESSAGE_NOT_FOUND);
      CHECK(test::has(gone.message,
                      protocol == "IMAP" ? "has no message with UID" : "has no such message any more"));

      auto deleted = host.run("Sibling.Delete", with_ref(moved_ref).str());
      REQUIRE_MESSAGE(deleted.ok(), deleted.message);
      CHECK(test::has(deleted.message, protocol == "IMAP" ? "moved the message to \"Trash\""
                                                          : "moved the message to \"Deleted Items\""));
      auto trash = run_ok(host, "Sibling.ListMessages",
                          JsonBag().set("folder", "trash").set("subject_contains", subject));
      REQUIRE(trash["messages"].Size() == 1);
      auto purged = host.run("Sibling.Delete", with_ref(trash["messages"][0]["ref"].GetString()).str());
      REQUIRE_MESSAGE(purged.ok(), purged.message);
      CHECK(test::has(purged.message, "deleted the message for good"));
      CHECK(run_ok(host, "Sibling.ListMessages",
                   JsonBag().set("folder", "trash").set("subject_contains", subject))["messages"]
                .Size() == 0);
      run_ok(host, "Sibling.Delete", with_ref(copy_ref).set("permanently", true));
      CHECK(run_ok(host, "Sibling.ListMessages",
                   JsonBag().set("folder", project).set("subject_contains", subject))["messages"]
                .Size() == 0);
   }
}

TEST_CASE(
    "IMAP, POP3, EWS and Graph: list_folders and find_folder of email.mailbox/1 through the ABI - roles") {
   struct Expected {
      std::string protocol;
      std::map<std::string, std::string> roles;  // path -> role ("" for none)
      std::string plain_folder;                  // a folder without a role
   };
   const std::map<std::string, std::string> exchange = {
       {"Inbox", "inbox"},     {"Sent Items", "sent"}, {"Drafts", "drafts"},  {"Deleted Items", "trash"},
       {"Junk Email", "junk"}, {"Archive", "archive"}, {"Inbox/Projects", ""}};
   const std::vector<Expected> cases = {{"IMAP",
                                         {{"INBOX", "inbox"},
                                          {"Sent", "sent"},
                                          {"Drafts", "drafts"},
                                          {"Trash", "trash"},
                                          {"Junk", "junk"},
                                          {"Archive", "archive"},
                                          {"Project X", ""}},
                                         "Project X"},
                                        {"POP3", {{"INBOX", "inbox"}}, ""},
                                        {"EWS", exchange, "Inbox/Projects"},
                                        {"Graph", exchange, "Inbox/Projects"}};
   for (const Expected &expected : cases) {
      CAPTURE(expected.protocol);
      TestHost host;
      connect(host, expected.protocol, "erin");
      auto listed = run_ok(host, "Sibling.MailboxFolders", JsonBag());
      REQUIRE(listed["folders"].IsArray());
      std::map<std::string, std::string> roles;
      for (auto &folder : listed["folders"].GetArray()) {
         REQUIRE(folder["path"].IsString());
         CHECK(folder["selectable"].IsBool());
         const std::string path = folder["path"].GetString();
         const std::string name = folder["name"].GetString();
         CHECK(path.size() >= name.size());
         CHECK(path.compare(path.size() - name.size(), name.size(), name) == 0);  // the last level
         roles[path] = folder.HasMember("role") ? folder["role"].GetString() : "";
      }
      for (const auto &[path, role] : expected.roles) {
         CAPTURE(path);
         REQUIRE(roles.count(path) == 1);
         CHECK(roles[path] == role);
      }
      if (expected.protocol == "POP3") CHECK(roles.size() == 1);
      for (const auto &[path, role] : expected.roles) {
         if (role.empty()) continue;
         CAPTURE(role);
         auto found = run_ok(host, "Sibling.FindFolder", JsonBag().set("folder", role));
         CHECK(std::string(found["path"].GetString()) == path);
         CHECK(std::string(found["role"].GetString()) == role);
      }
      if (!expected.plain_folder.empty()) {
         auto found = run_ok(host, "Sibling.FindFolder", JsonBag().set("folder", expected.plain_folder));
         CHECK(std::string(found["path"].GetString()) == expected.plain_folder);
         CHECK_FALSE(found.HasMember("role"));
      }
      auto inbox = run_ok(host, "Sibling.FindFolder", JsonBag().set("folder", "inbox/"));
      CHECK(std::string(inbox["role"].GetString()) == "inbox");
      auto missing = host.run("Sibling.FindFolder", JsonBag().set("folder", "No such folder").str());
      CHECK(missing.status == RPA_FOLDER_NOT_FOUND);
      CHECK(test::has(missing.message, "there is no folder \"No such folder\""));
      if (expected.protocol == "POP3") {
         auto trash = host.run("Sibling.FindFolder", JsonBag().set("folder", "trash").str());
         CHECK(trash.status == RPA_FOLDER_NOT_FOUND);
         CHECK(test::has(trash.message, "no folder has that role"));
      }
   }
}

TEST_CASE(
    "IMAP, EWS and Graph: marking what is already marked succeeds - set, set again, clear, clear again") {
   // RFC 9051 6.4.6 lets a server leave out the FETCH of a STORE that changes nothing, and Dovecot
   // does: that silence is not "no such message".
   for (const std::string protocol : {"IMAP", "EWS", "Graph"}) {
      CAPTURE(protocol);
      TestHost host;
      connect(host, protocol, "erin");
      test::TempDirectory dir("rpa-mailbox-test");
      auto [file, subject] = unique_message(dir, "Idempotent");
      const std::string ref =
          run_ok(host, "Sibling.Append", JsonBag().set("folder", "inbox").set("file", file))["ref"]
              .GetString();
      auto state = [&] {
         auto listed = run_ok(host, "Sibling.ListMessages", JsonBag().set("subject_contains", subject));
         REQUIRE(listed["messages"].Size() == 1);
         return std::make_pair(listed["messages"][0]["seen"].GetBool(),
                               listed["messages"][0]["flagged"].GetBool());
      };
      REQUIRE(state() == std::make_pair(true, false));  // appended as read
      for (const char *flag : {"seen", "flagged"}) {
         CAPTURE(flag);
         for (bool value : {true, true, false, false, true}) {
            CAPTURE(value);
            auto marked = host.run("Sibling.SetFlags", with_ref(ref).set(flag, value).str());
            REQUIRE_MESSAGE(marked.ok(), rpa_status_name(marked.status) << ": " << marked.message);
            const auto now = state();
            CHECK((std::string(flag) == "seen" ? now.first : now.second) == value);
         }
      }
      auto both = host.run("Sibling.SetFlags", with_ref(ref).set("seen", true).set("flagged", true).str());
      CHECK_MESSAGE(both.ok(), both.message);
      auto neither = host.run("Sibling.SetFlags", with_ref(ref).str());  // changes nothing: does it exist?
      CHECK_MESSAGE(neither.ok(), neither.message);
      if (protocol == "IMAP") {  // a UID that was never given out: the folder has no such message
         const std::size_t uid_start = ref.find(':', 5) + 1, uid_end = ref.find(':', uid_start);
         const std::string missing = ref.substr(0, uid_start) + "4000000000" + ref.substr(uid_end);
         for (bool value : {true, false}) {
            auto gone = host.run("Sibling.SetFlags", with_ref(missing).set("seen", value).str());
            CHECK(gone.status == RPA_MESSAGE_NOT_FOUND);
            CHECK(test::has(gone.message, "has no message with UID 4000000000"));
         }
         auto unknown = host.run("Sibling.SetFlags", with_ref(missing).str());
         CHECK(unknown.status == RPA_MESSAGE_NOT_FOUND);
      }
      run_ok(host, "Sibling.Delete", with_ref(ref).set("permanently", true));
      auto gone = host.run("Sibling.SetFlags", with_ref(ref).set("seen", true).str());
      CHECK(gone.status == RPA_MESSAGE_NOT_FOUND);
   }
}

// doveadm is a Linux program: not run from a Windows test process (under Wine it starts, but its
// exit status is lost).
TEST_CASE(
    "IMAP: a folder rebuilt under a reference (UIDVALIDITY changed) answers message_not_found - "
    "never another message" *
    doctest::skip(test::on_windows)) {
   TestHost host;
   connect(host, "IMAP", "erin");
   test::TempDirectory dir("rpa-mailbox-test");
   const test::DovecotPeer &peer = test::DovecotPeer::get();
   const std::string folder = "Rebuilt" + rpa::random_hex(6);
   const std::string doveadm = "doveadm -c '" + peer.value("PEER_DIR") + "/secure/dovecot.conf' ";
   REQUIRE(std::system((doveadm + "mailbox create -u erin " + folder).c_str()) == 0);
   auto [file, subject] = unique_message(dir, "Rebuilt");
   auto appended = run_ok(host, "Sibling.Append", JsonBag().set("folder", folder).set("file", file));
   const std::string ref = appended["ref"].GetString();
   host.run("Email.Disconnect", "{}");
   REQUIRE(std::system((doveadm + "mailbox update -u erin --uid-validity 7 " + folder).c_str()) == 0);
   TestHost later;
   connect(later, "IMAP", "erin");
   auto fetched = later.run("Sibling.Fetch", with_ref(ref).set("file", dir.file("x.eml")).str());
   CHECK(fetched.status == RPA_MESSAGE_NOT_FOUND);
   CHECK(test::has(fetched.message, "UIDVALIDITY changed"));
   CHECK_FALSE(fs::exists(dir.file("x.eml")));
   std::system((doveadm + "mailbox delete -u erin -s " + folder + " >/dev/null 2>&1").c_str());
}

TEST_CASE(
    "IMAP without MOVE: COPY, then \\Deleted and UID EXPUNGE of that one message - the new reference from "
    "COPYUID") {
   test::ScriptedServer server(
       "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR LITERAL+] hi\r\n",
       {"A1 OK [CAPABILITY IMAP4rev1 UIDPLUS LITERAL+] in\r\n",
        "* LIST (\\HasNoChildren) \"/\" INBOX\r\n* LIST (\\HasNoChildren) \"/\" Archive\r\nA2 OK listed\r\n",
        "* 3 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\nA3 OK [READ-WRITE] selected\r\n",
        "A4 OK [COPYUID 8 5 9] copied\r\n", "A5 OK stored\r\n", "* 2 EXPUNGE\r\nA6 OK expunged\r\n",
        "* BYE bye\r\nA7 OK out\r\n"});
   TestHost host;
   REQUIRE(host.run("Email.Connect", test::plain_loopback_bag(server.port(), "IMAP", "carol", 5).str()).ok());
   auto moved = run_ok(host, "Sibling.Move", with_ref("imap:7:5:INBOX").set("folder", "archive"));
   CHECK(std::string(moved["ref"].GetString()) == "imap:8:9:Archive");
   REQUIRE(host.run("Email.Disconnect", "{}").ok());
   const auto sent = server.received();
   auto said = [&](const std::string &line) {
      return std::find(sent.begin(), sent.end(), line) != sent.end();
   };
   CHECK(said("A4 UID COPY 5 \"Archive\""));
   CHECK(said("A5 UID STORE 5 +FLAGS.SILENT (\\Deleted)"));
   CHECK(said("A6 UID EXPUNGE 5"));
}

TEST_CASE(
    "IMAP without LITERAL+: APPEND waits for the go-ahead, then the message in chunks - the reference "
    "from APPENDUID") {
   // 200 KB of lines: more than three of the 64 KiB chunks the literal is written in.
   std::string message = "Subject: literal\r\n\r\n";
   for (int i = 0; message.size() < 200000; ++i) message += "line " + std::to_string(i) + " of the body\r\n";
   const std::string head = "A3 APPEND \"Archive\" (\\Seen) {" + std::to_string(message.size()) + "}";
   std::size_t literal = 0;
   bool in_literal = false, waited = false;
   test::ScriptedServer server(
       "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n",
       test::ScriptedServer::Responder([&](const std::string &line) -> std::string {
          if (in_literal) {
             literal += line.size() + 2;
             if (literal < message.size() + 2) return "";
             in_literal = false;  // the CRLF after the literal ended the command
             return literal == message.size() + 2 ? "A3 OK [APPENDUID 7 9] appended\r\n"
                                                  : "A3 BAD literal of the wrong size\r\n";
          }
          if (line.rfind("A1 ", 0) == 0) return "A1 OK [CAPABILITY IMAP4rev1 UIDPLUS] in\r\n";
          if (line.rfind("A2 ", 0) == 0)
             return "* LIST (\\HasNoChildren) \"/\" INBOX\r\n* LIST (\\HasNoChildren) \"/\" Archive\r\n"
                    "A2 OK listed\r\n";
          if (line == head) {
             in_literal = waited = true;
             return "+ Ready for literal data\r\n";
          }
          return line.find(" LOGOUT") != std::string::npos
                     ? "* BYE bye\r\n" + line.substr(0, 2) + " OK\r\n"
                     : line.substr(0, line.find(' ')) + " BAD unexpected\r\n";
       }));
   test::TempDirectory dir("rpa-literal");
   const std::string file = (dir.path() / "m.eml").u8string();
   std::ofstream(file, std::ios::binary) << message;
   TestHost host;
   REQUIRE(host.run("Email.Connect", test::plain_loopback_bag(server.port(), "IMAP", "carol", 5).str()).ok());
   auto appended = run_ok(host, "Sibling.Append", JsonBag().set("folder", "archive").set("file", file));
   CHECK(std::string(appended["ref"].GetString()) == "imap:7:9:Archive");
   CHECK_MESSAGE(waited, "the APPEND went as {n}, and the message after the go-ahead");
   CHECK(literal == message.size() + 2);
   REQUIRE(host.run("Email.Disconnect", "{}").ok());
}

TEST_CASE("POP3: a delete is carried out when the session ends with Disconnect") {
   TestHost host;
   connect(host, "IMAP", "erin");
   test::TempDirectory dir("rpa-mailbox-test");
   auto [file, subject] = unique_message(dir, "Pop delete");
   run_ok(host, "Sibling.Append", JsonBag().set("file", file));
   REQUIRE(host.run("Email.Connect",
                    test::peer_bag("POP3", "PEER_POP3S_PORT", "erin").set("session_name", "Pop").str())
               .ok());
   auto listed = run_ok(host, "Sibling.ListMessages",
                        JsonBag().set("session_name", "Pop").set("subject_contains", subject));
   REQUIRE(listed["messages"].Size() == 1);
   auto deleted = host.run(
       "Sibling.Delete", with_ref(listed["messages"][0]["ref"].GetString()).set("session_name", "Pop").str());
   REQUIRE_MESSAGE(deleted.ok(), deleted.message);
   CHECK(test::has(deleted.message, "when the session ends with Disconnect"));
   CHECK(
       run_ok(host, "Sibling.ListMessages", JsonBag().set("subject_contains", subject))["messages"].Size() ==
       1);
   REQUIRE(host.run("Email.Disconnect", JsonBag().set("session_name", "Pop").str()).ok());
   // A new IMAP session sees the mailbox as it is now (one that stays in INBOX learns of the
   // expunge when Dovecot next notices the maildir changed, which may take a second).
   TestHost later;
   connect(later, "IMAP", "erin");
   CHECK(
       run_ok(later, "Sibling.ListMessages", JsonBag().set("subject_contains", subject))["messages"].Size() ==
       0);
}

TEST_CASE("bad requests name what is wrong - unknown folder - bad date - foreign or unknown reference") {
   TestHost host;
   connect(host, "IMAP", "dave");
   auto folder = host.run("Sibling.ListMessages", JsonBag().set("folder", "No such folder").str());
   CHECK(folder.status == RPA_FOLDER_NOT_FOUND);
   CHECK(test::has(folder.message, "\"No such folder\""));
   auto date = host.run("Sibling.ListMessages", JsonBag().set("since", "2026-13-01").str());
   CHECK(date.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(date.message, "since"));
   auto foreign = host.run("Sibling.Fetch", with_ref("pop3:abc").set("file", "/tmp/never").str());
   CHECK(foreign.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(foreign.message, "not a message reference from an IMAP session"));
   auto missing = host.run("Sibling.Fetch", with_ref("").set("file", "/tmp/never").str());
   CHECK(missing.status == RPA_INVALID_PROPERTIES);

   REQUIRE(host.run("Email.Connect",
                    test::ews_basic_bag("dave@contoso.test").set("session_name", "Exchange").str())
               .ok());
   auto ews = host.run(
       "Sibling.Fetch",
       with_ref("ews:bm90IGFuIGl0ZW0=").set("session_name", "Exchange").set("file", "/tmp/never").str());
   CHECK(ews.status == RPA_MESSAGE_NOT_FOUND);
   CHECK(test::has(ews.message, "ErrorInvalidIdMalformed"));
   auto ews_folder = host.run("Sibling.ListMessages",
                              JsonBag().set("session_name", "Exchange").set("folder", "Nope").str());
   CHECK(ews_folder.status == RPA_FOLDER_NOT_FOUND);
}

TEST_CASE(
    "the mailbox interface is the session's other face - one reference count - a host can ask for either") {
   TestHost host;
   connect(host, "IMAP", "dave");
   const rpa_session_handle *handle = nullptr;
   REQUIRE(host.services()->session_get(host.services()->host_data, "Default", RPA_EMAIL_MAILBOX_INTERFACE,
                                        RPA_EMAIL_MAILBOX_REVISION, &handle) == RPA_OK);
   const auto *mailbox = reinterpret_cast<const rpa_email_mailbox *>(handle);
   REQUIRE(rpa_email_mailbox_is_compatible(mailbox));
   CHECK(std::string(handle->interface_id) == RPA_EMAIL_MAILBOX_ID);
   CHECK(host.services()->session_get(host.services()->host_data, "Default", RPA_EMAIL_MAILBOX_INTERFACE, 2,
                                      nullptr) == RPA_UNSUPPORTED);
   // The mailbox outlives Disconnect through its own reference, and then says the session is closed.
   REQUIRE(host.run("Email.Disconnect", "{}").ok());
   std::string json, message;
   rpa_text_sink out = test::string_sink(json), said = test::string_sink(message);
   CHECK(mailbox->list_folders(mailbox, host.services(), &out, &said) == RPA_SESSION_NOT_FOUND);
   CHECK(json.empty());
   handle->release(handle);
}

}  // TEST_SUITE("mailbox")
