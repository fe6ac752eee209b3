// What the watch tests (test_watch*.cpp) share: a wait's property bag, a message appended through the
// test sibling, and a wait run in another thread while the test makes mail arrive.
#pragma once

#include <doctest/doctest.h>

#include <rpa_common/random_hex.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include "connect_helpers.h"
#include "files.h"

namespace test {

// Who a test's mail is from and to, as its headers say.
struct Addresses {
   std::string from;
   std::string to;
};
inline const Addresses kMailToIvan{"Erin <erin@example.com>", "ivan@example.com"};          // Dovecot
inline const Addresses kMailToWatcher{"Erin <erin@contoso.test>", "watcher@contoso.test"};  // EWS, Graph

// Connects the session `session` to ivan's IMAP account on the secure Dovecot. ivan is the watch
// tests' user: their doveadm kicks end his sessions only.
inline void connect_ivan_imap(TestHost &host, const std::string &session = "Default") {
   run_ok(host, "Email.Connect", peer_bag("IMAP", "PEER_IMAPS_PORT", "ivan").set("session_name", session));
}

// A Sibling.Wait bag: the messages whose subject holds `token` (each test's own, so that tests never
// see each other's mail) that came after `cursor` ("" = from now), waited for at most `seconds`.
// poll_seconds is set only when given, so that a wait without it shows the backend's default.
inline JsonBag wait_bag(const std::string &token, const std::string &cursor, int seconds,
                        int poll_seconds = 0) {
   JsonBag bag;
   bag.set("subject_contains", token).set("cursor", cursor).set("timeout_seconds", seconds);
   if (poll_seconds > 0) bag.set("poll_seconds", poll_seconds);
   return bag;
}

// Writes a small message with `subject` in `dir` and appends it to `folder` through the session
// `session`'s sibling Append. Returns the new message's ref, or "" when the backend named none.
inline std::string append_message(TestHost &host, const TempDirectory &dir, const Addresses &addresses,
                                  const std::string &subject, const std::string &session = "Default",
                                  const std::string &folder = "inbox") {
   const std::string path = dir.file("m-" + rpa::random_hex(4) + ".eml");
   std::ofstream(path, std::ios::binary)
       << "From: " << addresses.from << "\r\nTo: " << addresses.to << "\r\nSubject: " << subject
       << "\r\nMessage-ID: <" << rpa::random_hex(8) << "@example.com>\r\n\r\nNew.\r\n";
   const rapidjson::Document appended =
       run_ok(host, "Sibling.Append",
              JsonBag().set("folder", folder).set("file", path).set("session_name", session));
   return appended.HasMember("ref") && appended["ref"].IsString() ? appended["ref"].GetString() : "";
}

// How a wait run by wait_while ended, and when.
struct WaitEnd {
   rpa_host::ActionOutcome outcome;
   std::chrono::steady_clock::time_point returned;
};

// Runs the Sibling.Wait `bag` on `host` in another thread and, once it has had `settle` to start
// waiting, `meanwhile` on this one (mail arrives, the host cancels, ...). Returns how the wait ended;
// a wait that has not ended 60 s after `meanwhile` fails the test.
inline WaitEnd wait_while(TestHost &host, const JsonBag &bag, const std::function<void()> &meanwhile,
                          std::chrono::milliseconds settle = std::chrono::milliseconds(500)) {
   const std::string request = bag.str();
   auto waiting = std::async(std::launch::async, [&host, request] {
      auto outcome = host.run("Sibling.Wait", request);
      return WaitEnd{outcome, std::chrono::steady_clock::now()};
   });
   std::this_thread::sleep_for(settle);
   meanwhile();
   REQUIRE(waiting.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
   return waiting.get();
}

// Starts a wait for `token`'s mail after `cursor`, cancels it through the host and checks that it
// ended cancelled within 5 s of the cancel. The host's cancel stays set: host.cancel(false) clears it.
inline void check_cancel_ends_wait(TestHost &host, const std::string &token, const std::string &cursor) {
   std::chrono::steady_clock::time_point asked;
   const WaitEnd cancelled = wait_while(host, wait_bag(token, cursor, 60), [&] {
      host.cancel();
      asked = std::chrono::steady_clock::now();
   });
   CHECK(cancelled.outcome.status == RPA_CANCELLED);
   CHECK(cancelled.returned - asked < std::chrono::seconds(5));
}

// The messages of a wait that must have succeeded.
inline rapidjson::Document arrived_of(const WaitEnd &end) {
   REQUIRE_MESSAGE(end.outcome.ok(), end.outcome.message);
   return result_of(end.outcome);
}

}  // namespace test
