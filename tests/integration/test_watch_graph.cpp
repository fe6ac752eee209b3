// Waiting for new mail over Microsoft 365 (Graph) against the Graph peer: delta rounds on the
// folder's messages (tests/peers/graph/graph_delta.py, written from Microsoft's documents), polled,
// followed page by page, reset when Graph forgets the state. watcher@contoso.test is these tests'
// mailbox (app-only); erin sends it mail, as a colleague would, through her own session.
#include <rapidjson/document.h>

#include <rpa_common/random_hex.h>

#include <chrono>
#include <set>
#include <thread>

#include "connect_helpers.h"
#include "files.h"
#include "headless_browser.h"
#include "oauth_helpers.h"
#include "watch_helpers.h"

using test::JsonBag;
using test::RawJson;
using test::TestHost;
using test::run_ok;
using test::wait_bag;

namespace {

// Every look a second apart, so that the tests see new mail at once.
constexpr int kPollSeconds = 1;

void connect(TestHost &host, const std::string &mailbox, const std::string &session) {
   auto connected =
       host.run("Email.Connect", test::graph_app_bag(mailbox).set("session_name", session).str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
}

// erin sends `subject` to the watched mailbox, with a small attachment.
void send_from_erin(TestHost &host, const std::string &subject,
                    const std::string &to = "watcher@contoso.test") {
   JsonBag message;
   message.set("to", to)
       .set("subject", subject)
       .set("text", "New.\n")
       .set("attachments", RawJson{R"([{"source":0,"name":"note.txt"}])"});
   run_ok(host, "Sibling.Send",
          JsonBag()
              .set("session_name", "Erin")
              .set("message", RawJson{message.str()})
              .set("sources", RawJson{R"([{"text":"a note"}])"}));
}

// Appends a message to the watched inbox (a draft there, as Graph stores MIME it is given).
void append(TestHost &host, const test::TempDirectory &dir, const std::string &subject) {
   test::append_message(host, dir, test::kMailToWatcher, subject);
}

}  // namespace

TEST_CASE(
    "watch over Graph: a delta round polled - new mail once, with its attachments - read or flagged mail is "
    "not "
    "new - a round over several pages - a state Graph forgot resets - cursors of other folders or hosts "
    "named") {
   TestHost host;
   connect(host, "watcher@contoso.test", "Default");
   connect(host, "erin@contoso.test", "Erin");
   test::TempDirectory dir("rpa-watch-graph");
   const std::string token = "graph-watch-" + rpa::random_hex(6);
   rapidjson::Document now = run_ok(host, "Sibling.Wait", wait_bag(token, "", 1, kPollSeconds));
   CHECK(now["messages"].Size() == 0);
   const std::string cursor = now["cursor"].GetString();
   CHECK(cursor.rfind("graph1:", 0) == 0);

   rapidjson::Document one = test::arrived_of(test::wait_while(
       host, wait_bag(token, cursor, 60, kPollSeconds), [&] { send_from_erin(host, "Invoice " + token); }));
   REQUIRE(one["messages"].Size() == 1);
   const rapidjson::Value &invoice = one["messages"][0];
   CHECK(std::string(invoice["subject"].GetString()) == "Invoice " + token);
   CHECK(std::string(invoice["ref"].GetString()).rfind("graph:", 0) == 0);
   REQUIRE(invoice["attachments"].Size() == 1);  // the summary as a search gives it
   CHECK(std::string(invoice["attachments"][0]["name"].GetString()) == "note.txt");
   const std::string after_one = one["cursor"].GetString();

   // Reading and flagging change the message, not the folder's new mail.
   run_ok(host, "Sibling.SetFlags",
          JsonBag().set("ref", invoice["ref"].GetString()).set("seen", true).set("flagged", true));
   rapidjson::Document none = run_ok(host, "Sibling.Wait", wait_bag(token, after_one, 2, kPollSeconds));
   CHECK(none["messages"].Size() == 0);

   // Twelve at once: more than the ten of a delta page, every one returned once, in order.
   for (int i = 0; i < 12; ++i) append(host, dir, "Batch " + std::to_string(i) + " " + token);
   rapidjson::Document batch =
       run_ok(host, "Sibling.Wait", wait_bag(token, none["cursor"].GetString(), 10, kPollSeconds));
   REQUIRE(batch["messages"].Size() == 12);
   for (int i = 0; i < 12; ++i)
      CHECK(std::string(batch["messages"][i]["subject"].GetString()) ==
            "Batch " + std::to_string(i) + " " + token);
   rapidjson::Document after_batch =
       run_ok(host, "Sibling.Wait", wait_bag(token, batch["cursor"].GetString(), 1, kPollSeconds));
   CHECK(after_batch["messages"].Size() == 0);

   // Cursors that are not this folder's, or whose link is not Graph's.
   auto archive =
       host.run("Sibling.Wait", wait_bag(token, after_one, 1, kPollSeconds).set("folder", "archive").str());
   CHECK(archive.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(archive.message, "it follows another folder"));
   const std::string elsewhere =
       after_one.substr(0, after_one.find(':', 20) + 1) + "https://elsewhere.example/v1.0/x";
   auto foreign = host.run("Sibling.Wait", wait_bag(token, elsewhere, 1, kPollSeconds).str());
   CHECK(foreign.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(foreign.message, "not one Microsoft Graph gave this session"));
   auto bad = host.run("Sibling.Wait", wait_bag(token, "imap1:1:2", 1, kPollSeconds).str());
   CHECK(bad.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(bad.message, "not a cursor a Microsoft 365 (Graph) wait returned"));

   // Graph forgot the state (410 Gone, SyncStateNotFound): from now on, said, never guessed.
   test::https_get(test::DovecotPeer::get().value("PEER_GRAPH_URL") + "/test/forget-sync-states");
   rapidjson::Document reset =
       run_ok(host, "Sibling.Wait", wait_bag(token, batch["cursor"].GetString(), 1, kPollSeconds));
   CHECK(reset["cursor_reset"].GetBool());
   CHECK(reset["messages"].Size() == 0);
   CHECK(host.logged("no longer knows the cursor's state"));
   send_from_erin(host, "After the reset " + token);
   rapidjson::Document after_reset =
       run_ok(host, "Sibling.Wait", wait_bag(token, reset["cursor"].GetString(), 10, kPollSeconds));
   REQUIRE(after_reset["messages"].Size() == 1);
   CHECK(std::string(after_reset["messages"][0]["subject"].GetString()) == "After the reset " + token);
}

TEST_CASE(
    "watch over Graph: a throttled mailbox (429, Retry-After) is waited out, and the mail still comes") {
   TestHost host;
   connect(host, "busy-watch@contoso.test", "Default");
   connect(host, "erin@contoso.test", "Erin");
   const std::string token = "graph-busy-" + rpa::random_hex(6);
   rapidjson::Document now = run_ok(host, "Sibling.Wait", wait_bag(token, "", 1, kPollSeconds));
   send_from_erin(host, "Throttled " + token, "busy-watch@contoso.test");
   rapidjson::Document arrived =
       run_ok(host, "Sibling.Wait", wait_bag(token, now["cursor"].GetString(), 20, kPollSeconds));
   REQUIRE(arrived["messages"].Size() == 1);
   CHECK(std::string(arrived["messages"][0]["subject"].GetString()) == "Throttled " + token);
}
