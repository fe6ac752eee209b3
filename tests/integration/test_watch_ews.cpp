// Waiting for new mail over EWS against the EWS peer: SyncFolderItems (tests/peers/ews/ews_sync.py,
// written from Microsoft's EWS reference) polled, its SyncState the cursor. watcher@contoso.test
// is these tests' mailbox (Basic); mail comes into it by CreateItem through the same session.
#include <rapidjson/document.h>

#include <rpa_common/random_hex.h>

#include <chrono>
#include <thread>

#include "connect_helpers.h"
#include "files.h"
#include "oauth_helpers.h"
#include "watch_helpers.h"

using test::JsonBag;
using test::TestHost;
using test::run_ok;
using test::wait_bag;

namespace {

// Every look a second apart, so that the tests see new mail at once.
constexpr int kPollSeconds = 1;

std::string append(TestHost &host, const test::TempDirectory &dir, const std::string &subject) {
   return test::append_message(host, dir, test::kMailToWatcher, subject);
}

}  // namespace

TEST_CASE(
    "watch over EWS: SyncFolderItems polled - new mail once - read or deleted mail is not new - more than a "
    "look's 100 changes are followed - a state Exchange refuses resets - other folders' cursors named") {
   TestHost host;
   run_ok(host, "Email.Connect", test::ews_basic_bag("watcher@contoso.test"));
   test::TempDirectory dir("rpa-watch-ews");
   const std::string token = "ews-watch-" + rpa::random_hex(6);
   append(host, dir, "Before " + token);  // there before the wait: not new
   rapidjson::Document now = run_ok(host, "Sibling.Wait", wait_bag(token, "", 1, kPollSeconds));
   CHECK(now["messages"].Size() == 0);
   const std::string cursor = now["cursor"].GetString();
   CHECK(cursor.rfind("ews1:", 0) == 0);

   rapidjson::Document one = test::arrived_of(test::wait_while(
       host, wait_bag(token, cursor, 60, kPollSeconds), [&] { append(host, dir, "Invoice " + token); }));
   REQUIRE(one["messages"].Size() == 1);
   CHECK(std::string(one["messages"][0]["subject"].GetString()) == "Invoice " + token);
   const std::string ref = one["messages"][0]["ref"].GetString();
   CHECK(ref.rfind("ews:", 0) == 0);

   // A read flag and a delete are changes the sync reports, and no new mail.
   run_ok(host, "Sibling.SetFlags", JsonBag().set("ref", ref).set("seen", true));
   run_ok(host, "Sibling.Delete", JsonBag().set("ref", ref).set("permanently", true));
   rapidjson::Document none =
       run_ok(host, "Sibling.Wait", wait_bag(token, one["cursor"].GetString(), 2, kPollSeconds));
   CHECK(none["messages"].Size() == 0);

   // 120 at once (and 5 that do not match): more than one look's 100 changes; the cursor goes on.
   for (int i = 0; i < 5; ++i) append(host, dir, "Other mail " + std::to_string(i));
   for (int i = 0; i < 120; ++i) append(host, dir, "Batch " + std::to_string(i) + " " + token);
   std::vector<std::string> subjects;
   std::string at = none["cursor"].GetString();
   for (int look = 0; look < 5 && subjects.size() < 120; ++look) {
      rapidjson::Document batch = run_ok(host, "Sibling.Wait", wait_bag(token, at, 5, kPollSeconds));
      for (const auto &message : batch["messages"].GetArray())
         subjects.push_back(message["subject"].GetString());
      at = batch["cursor"].GetString();
   }
   REQUIRE(subjects.size() == 120);
   for (int i = 0; i < 120; ++i) CHECK(subjects[i] == "Batch " + std::to_string(i) + " " + token);
   CHECK(run_ok(host, "Sibling.Wait", wait_bag(token, at, 1, kPollSeconds))["messages"].Size() == 0);

   auto archive =
       host.run("Sibling.Wait", wait_bag(token, at, 1, kPollSeconds).set("folder", "archive").str());
   CHECK(archive.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(archive.message, "it follows another folder"));
   auto bad = host.run("Sibling.Wait", wait_bag(token, "graph1:x", 1, kPollSeconds).str());
   CHECK(bad.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(bad.message, "not a cursor an EWS wait returned"));

   // A SyncState the server does not know: from now on, said, never guessed.
   rapidjson::Document reset = run_ok(
       host, "Sibling.Wait", wait_bag(token, at.substr(0, 18) + "AAAAbm90IGEgc3RhdGU=", 1, kPollSeconds));
   CHECK(reset["cursor_reset"].GetBool());
   CHECK(reset["messages"].Size() == 0);
   CHECK(host.logged("ErrorInvalidSyncStateData"));
   append(host, dir, "After the reset " + token);
   rapidjson::Document after =
       run_ok(host, "Sibling.Wait", wait_bag(token, reset["cursor"].GetString(), 5, kPollSeconds));
   REQUIRE(after["messages"].Size() == 1);
   CHECK(std::string(after["messages"][0]["subject"].GetString()) == "After the reset " + token);
}
