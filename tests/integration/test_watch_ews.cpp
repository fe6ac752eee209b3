// Waiting for new mail over EWS against the EWS peer: SyncFolderItems (tests/peers/ews/ews_sync.py,
// written from Microsoft's EWS reference), its SyncState the cursor, looked at when a streaming
// notification (tests/peers/ews/ews_streaming.py) says the folder changed, or polled where the
// server refuses to stream. watcher@contoso.test is the first test's mailbox (Basic), streamer,
// crowded and unsubscribable the streaming tests'; mail comes in by CreateItem through the same
// session, while the wait runs.
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

std::string append(TestHost &host, const test::TempDirectory &dir, const std::string &subject,
                   const std::string &to = "watcher@contoso.test") {
   return test::append_message(host, dir, {"Erin <erin@contoso.test>", to}, subject);
}

using Clock = std::chrono::steady_clock;

// The subjects of what a wait returned.
std::vector<std::string> subjects_of(const rapidjson::Document &arrived) {
   std::vector<std::string> subjects;
   for (const auto &message : arrived["messages"].GetArray())
      subjects.push_back(message["subject"].GetString());
   return subjects;
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

TEST_CASE(
    "watch over EWS: streaming notifications - new mail told at once though the poll is a minute - the "
    "stream renewed when Exchange closes it - a lapsed subscription made anew - cancel ends the stream") {
   TestHost host;
   const std::string mailbox = "streamer@contoso.test";  // its stream's minutes are 2 s; subscriptions lapse
   run_ok(host, "Email.Connect", test::ews_basic_bag(mailbox));
   test::TempDirectory dir("rpa-watch-ews-stream");
   const std::string token = "ews-stream-" + rpa::random_hex(6);
   const std::string cursor = run_ok(host, "Sibling.Wait", wait_bag(token, "", 1))["cursor"].GetString();

   // Polled every 60 s, a wait could only see this mail within a second or so if it was told.
   Clock::time_point appended;
   const test::WaitEnd told = test::wait_while(host, wait_bag(token, cursor, 50, 60), [&] {
      append(host, dir, "Told " + token, mailbox);
      appended = Clock::now();
   });
   rapidjson::Document first = test::arrived_of(told);
   CHECK(subjects_of(first) == std::vector<std::string>{"Told " + token});
   CHECK_MESSAGE(told.returned - appended < std::chrono::seconds(20),
                 "a streamed wait took as long as a poll: was it told?");
   // The stream is a connection of the wait's own, its bytes in the session's info.
   rapidjson::Document info = run_ok(host, "Sibling.Info", JsonBag());
   REQUIRE(info.HasMember("waiting"));
   CHECK(info["waiting"]["connections"].GetUint64() >= 2);  // the wait from now's stream, then this one's
   CHECK(info["waiting"]["bytes_received"].GetUint64() > 0);
   CHECK(info["waiting"]["bytes_sent"].GetUint64() > 0);

   // The peer closes each stream after 2 s (ConnectionStatus Closed) and forgets the subscription
   // then: the wait opens a new stream, hears ErrorSubscriptionNotFound, subscribes anew, and
   // still returns the message that comes 5 s in, long before its next poll.
   const test::WaitEnd renewed = test::wait_while(
       host, wait_bag(token, first["cursor"].GetString(), 50, 60),
       [&] {
          append(host, dir, "Renewed " + token, mailbox);
          appended = Clock::now();
       },
       std::chrono::milliseconds(5000));
   rapidjson::Document second = test::arrived_of(renewed);
   CHECK(subjects_of(second) == std::vector<std::string>{"Renewed " + token});
   CHECK(renewed.returned - appended < std::chrono::seconds(20));
   CHECK(
       host.logged("no longer knows this wait's subscription (ErrorSubscriptionNotFound); subscribing anew"));
   CHECK_FALSE(host.logged("asks for new mail every"));  // never fell back to polling

   Clock::time_point asked;
   const test::WaitEnd cancelled =
       test::wait_while(host, wait_bag(token, second["cursor"].GetString(), 50, 60), [&] {
          host.cancel();
          asked = Clock::now();
       });
   CHECK(cancelled.outcome.status == RPA_CANCELLED);
   CHECK(cancelled.returned - asked < std::chrono::seconds(5));
   host.cancel(false);
   run_ok(host, "Email.Disconnect", JsonBag());
}

TEST_CASE("watch over EWS: Exchange's streaming limits are named, and the wait polls instead") {
   struct Limit {
      const char *mailbox, *code, *names;
   };
   for (const Limit &limit :
        {Limit{"crowded@contoso.test", "ErrorExceededConnectionCount", "HangingConnectionLimit"},
         Limit{"unsubscribable@contoso.test", "ErrorExceededSubscriptionCount", "EWSMaxSubscriptions"}}) {
      const std::string mailbox = limit.mailbox;
      CAPTURE(mailbox);
      TestHost host;
      run_ok(host, "Email.Connect", test::ews_basic_bag(limit.mailbox));
      test::TempDirectory dir("rpa-watch-ews-limit");
      const std::string token = "ews-limit-" + rpa::random_hex(6);
      const std::string cursor = run_ok(host, "Sibling.Wait", wait_bag(token, "", 1))["cursor"].GetString();
      rapidjson::Document arrived =
          test::arrived_of(test::wait_while(host, wait_bag(token, cursor, 30, kPollSeconds),
                                            [&] { append(host, dir, "Polled " + token, limit.mailbox); }));
      CHECK(subjects_of(arrived) == std::vector<std::string>{"Polled " + token});
      CHECK(host.logged(limit.code));
      CHECK(host.logged(limit.names));
      CHECK(host.logged("this wait asks for new mail every"));
   }
}
