// Waiting for new mail ("email.watch/1", Email.WaitForMessage) against the real Dovecot: IDLE on a
// connection of the wait's own while the session's other calls go on. ivan is the watch tests'
// user (their kicks end his sessions only); each test's subjects carry a token of its own, and
// every wait filters on it.
#include <rapidjson/document.h>

#include <rpa_common/random_hex.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "connect_helpers.h"
#include "files.h"
#include "platform.h"
#include "watch_helpers.h"

using test::JsonBag;
using test::TestHost;
using test::run_ok;
using test::wait_bag;

namespace {

using Clock = std::chrono::steady_clock;

void connect(TestHost &host, const std::string &name = "Default") { test::connect_ivan_imap(host, name); }

void append(TestHost &host, const test::TempDirectory &dir, const std::string &subject,
            const std::string &name = "Default") {
   test::append_message(host, dir, test::kMailToIvan, subject, name);
}

std::string cursor_now(TestHost &host, const std::string &token) {
   rapidjson::Document first = run_ok(host, "Sibling.Wait", wait_bag(token, "", 1));
   REQUIRE(first["messages"].Size() == 0);
   return first["cursor"].GetString();
}

// ivan's sessions on the secure instance ended by the server (doveadm kick), once it lists one.
void kick_ivan() {
   const std::string doveadm =
       "doveadm -c '" + test::DovecotPeer::get().value("PEER_DIR") + "/secure/dovecot.conf' ";
   const std::string listed = doveadm + "who ivan 2>/dev/null | grep -q '^ivan '";
   for (int i = 0; i < 100 && std::system(listed.c_str()) != 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
   REQUIRE(std::system((doveadm + "kick ivan >/dev/null 2>&1").c_str()) == 0);
}

}  // namespace

TEST_CASE(
    "watch: a message appended while a wait runs is returned at once, once - the session's other "
    "calls go on meanwhile") {
   TestHost host;
   connect(host);
   test::TempDirectory dir("rpa-watch");
   const std::string token = "watch-" + rpa::random_hex(6);
   const std::string cursor = cursor_now(host, token);
   CHECK(cursor.rfind("imap1:", 0) == 0);

   // The session's own connection is free: the append goes through it while the wait (idling by
   // then) runs.
   Clock::time_point appended;
   const test::WaitEnd end = test::wait_while(host, wait_bag(token, cursor, 60), [&] {
      append(host, dir, "Invoice " + token);
      appended = Clock::now();
   });
   rapidjson::Document arrived = test::arrived_of(end);
   REQUIRE(arrived["messages"].Size() == 1);
   CHECK(std::string(arrived["messages"][0]["subject"].GetString()) == "Invoice " + token);
   CHECK(std::string(arrived["messages"][0]["ref"].GetString()).rfind("imap:", 0) == 0);
   // Latency is the benchmark's business; here only that IDLE woke the wait, long before its end.
   CHECK_MESSAGE(end.returned - appended < std::chrono::seconds(20),
                 "the wait returned on the server's EXISTS");
   CHECK(host.logged(" IDLE"));

   // The session's info counts the wait's looks and its own connection's bytes.
   rapidjson::Document info = run_ok(host, "Sibling.Info", JsonBag());
   REQUIRE(info.HasMember("waiting"));
   CHECK(info["waiting"]["looks"].GetUint64() >= 3);  // the cursor of now, before and after the EXISTS
   CHECK(info["waiting"]["connections"].GetUint64() == 1);
   CHECK(info["waiting"]["bytes_received"].GetUint64() > 0);
   CHECK(info["waiting"]["bytes_sent"].GetUint64() > 0);

   // The cursor it returned: nothing twice.
   rapidjson::Document again =
       run_ok(host, "Sibling.Wait", wait_bag(token, arrived["cursor"].GetString(), 1));
   CHECK(again["messages"].Size() == 0);
   CHECK_FALSE(again["cursor_reset"].GetBool());
}

TEST_CASE(
    "watch: messages that came while no wait ran are returned by the next, each once, oldest first - "
    "a new session follows the cursor too") {
   TestHost host;
   connect(host);
   test::TempDirectory dir("rpa-watch");
   const std::string token = "watch-" + rpa::random_hex(6);
   const std::string cursor = cursor_now(host, token);
   append(host, dir, "First " + token);
   append(host, dir, "Second " + token);
   append(host, dir, "Other mail");  // not matching the filter: never returned

   TestHost later;  // another session of the same account: the cursor is text
   connect(later);
   rapidjson::Document both = run_ok(later, "Sibling.Wait", wait_bag(token, cursor, 5));
   REQUIRE(both["messages"].Size() == 2);
   CHECK(std::string(both["messages"][0]["subject"].GetString()) == "First " + token);
   CHECK(std::string(both["messages"][1]["subject"].GetString()) == "Second " + token);
   rapidjson::Document none = run_ok(later, "Sibling.Wait", wait_bag(token, both["cursor"].GetString(), 1));
   CHECK(none["messages"].Size() == 0);

   // The plugin's own action, without a sibling.
   JsonBag action;
   action.set("subject_contains", token).set("cursor", cursor).set("timeout_seconds", 5);
   rapidjson::Document by_action = run_ok(later, "Email.WaitForMessage", action);
   CHECK(by_action["messages"].Size() == 2);
   CHECK(by_action["cursor"].IsString());
}

TEST_CASE(
    "watch: the server ends the waiting connection - the wait reconnects and returns what came "
    "meanwhile" *
    doctest::skip(test::on_windows)) {
   TestHost host;
   connect(host);
   test::TempDirectory dir("rpa-watch");
   const std::string token = "watch-" + rpa::random_hex(6);
   const std::string cursor = cursor_now(host, token);
   TestHost other;
   const test::WaitEnd end = test::wait_while(host, wait_bag(token, cursor, 60), [&] {
      kick_ivan();  // both of the session's connections
      connect(other, "Other");
      append(other, dir, "After the kick " + token, "Other");
   });
   rapidjson::Document arrived = test::arrived_of(end);
   REQUIRE(arrived["messages"].Size() == 1);
   CHECK(std::string(arrived["messages"][0]["subject"].GetString()) == "After the kick " + token);
   CHECK(host.logged("reconnecting, and catching up from the cursor"));
}

TEST_CASE(
    "watch: a cursor of a rebuilt folder resets, never wrong references - a bad cursor, filter or folder "
    "is named") {
   TestHost host;
   connect(host);
   const std::string token = "watch-" + rpa::random_hex(6);
   rapidjson::Document reset = run_ok(host, "Sibling.Wait", wait_bag(token, "imap1:1:5", 5));
   CHECK(reset["cursor_reset"].GetBool());
   CHECK(reset["messages"].Size() == 0);
   CHECK(std::string(reset["cursor"].GetString()).rfind("imap1:", 0) == 0);

   auto bad = host.run("Sibling.Wait", wait_bag(token, "yesterday", 1).str());
   CHECK(bad.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(bad.message, "cursor: not a cursor an IMAP wait returned"));
   auto poll = host.run("Sibling.Wait", wait_bag(token, "", 1).set("poll_seconds", 0).str());
   CHECK(poll.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(poll.message, "poll_seconds must be"));
   auto folder = host.run("Sibling.Wait", wait_bag(token, "", 1).set("folder", "No such folder").str());
   CHECK(folder.status == RPA_FOLDER_NOT_FOUND);
}

TEST_CASE(
    "watch: a server that offers no IDLE is polled every poll_seconds - what came is returned at the next "
    "look, once") {
   TestHost host;  // judy's server offers IMAP4rev1 only once she is signed in (tests/peers/dovecot)
   run_ok(host, "Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT", "judy"));
   test::TempDirectory dir("rpa-watch-poll");
   const std::string token = "poll-" + rpa::random_hex(6);
   const std::string cursor = cursor_now(host, token);
   const test::WaitEnd end = test::wait_while(host, wait_bag(token, cursor, 60, 1), [&] {
      test::append_message(host, dir, {"Erin <erin@example.com>", "judy@example.com"}, "Polled " + token);
   });
   rapidjson::Document arrived = test::arrived_of(end);
   REQUIRE(arrived["messages"].Size() == 1);
   CHECK(std::string(arrived["messages"][0]["subject"].GetString()) == "Polled " + token);
   CHECK(host.logged("IMAP: the server offers no IDLE; the next look for new mail in 1 s"));
   rapidjson::Document info = run_ok(host, "Sibling.Info", JsonBag());
   CHECK(info["waiting"]["looks"].GetUint64() >= 2);  // the cursor of now, and the look that found it

   rapidjson::Document again =
       run_ok(host, "Sibling.Wait", wait_bag(token, arrived["cursor"].GetString(), 2, 1));
   CHECK(again["messages"].Size() == 0);
   CHECK_FALSE(again["cursor_reset"].GetBool());
}

TEST_CASE("watch: from now on a kept wait connection: mail appended just before is not new") {
   TestHost host;
   connect(host);
   test::TempDirectory dir("rpa-watch-now");
   const std::string token = "watch-now-" + rpa::random_hex(6);
   cursor_now(host, token);               // the wait's own connection is open and its folder selected
   append(host, dir, "Before " + token);  // through the session's other connection
   const std::string cursor = cursor_now(host, token);
   rapidjson::Document after = run_ok(host, "Sibling.Wait", wait_bag(token, cursor, 1));
   CHECK_MESSAGE(after["messages"].Size() == 0, "a message appended before \"from now\" came back as new");
}

TEST_CASE("watch: a host that does not offer the cancel signal is asked, and its cancel still ends a wait") {
   TestHost host;
   host.offer_cancel_signal(false);  // the plugin then polls is_cancelled, about every 900 ms
   connect(host);
   const std::string token = "watch-" + rpa::random_hex(6);
   const std::string cursor = cursor_now(host, token);
   test::check_cancel_ends_wait(host, token, cursor);
}

TEST_CASE("watch: the host's cancel and Disconnect each end a wait within a second or two") {
   TestHost host;
   connect(host);
   const std::string token = "watch-" + rpa::random_hex(6);
   const std::string cursor = cursor_now(host, token);
   test::check_cancel_ends_wait(host, token, cursor);
   host.cancel(false);

   Clock::time_point disconnecting;
   const test::WaitEnd ended = test::wait_while(host, wait_bag(token, cursor, 60), [&] {
      disconnecting = Clock::now();
      run_ok(host, "Email.Disconnect", JsonBag());
   });
   CHECK_MESSAGE(ended.outcome.status == RPA_CANCELLED, ended.outcome.message);
   CHECK(ended.returned - disconnecting < std::chrono::seconds(5));
}
