// Waiting for new mail over POP3 against the real Dovecot: every look on a connection of its own
// (a POP3 connection shows the maildrop as it was at sign-in), polled every poll_seconds, and a
// cursor that survives what POP3 bots do: delete what they fetched. ivan is the watch tests' user;
// messages are appended over IMAP by the same session's sibling, and every wait filters on a token
// of the test's own.
#include <rapidjson/document.h>

#include <rpa_common/random_hex.h>

#include <cstdlib>

#include "connect_helpers.h"
#include "files.h"
#include "platform.h"
#include "watch_helpers.h"

using test::JsonBag;
using test::TestHost;
using test::run_ok;

namespace {

void connect_both(TestHost &host) {
   test::connect_ivan_imap(host);
   run_ok(host, "Email.Connect",
          test::peer_bag("POP3", "PEER_POP3S_PORT", "ivan").set("session_name", "Pop"));
}

// Appends a message whose subject is `subject` to ivan's INBOX over IMAP.
void append(TestHost &host, const test::TempDirectory &dir, const std::string &subject) {
   test::append_message(host, dir, test::kMailToIvan, subject);
}

JsonBag pop_wait(const std::string &token, const std::string &cursor, int seconds) {
   return test::wait_bag(token, cursor, seconds, 1).set("session_name", "Pop");
}

std::string only_subject(const rapidjson::Document &arrived) {
   REQUIRE(arrived["messages"].Size() == 1);
   return arrived["messages"][0]["subject"].GetString();
}

}  // namespace

TEST_CASE(
    "watch over POP3: polled on a new connection each time - the cursor names the newest messages and "
    "survives the newest being taken; one with none of them left resets") {
   TestHost host;
   connect_both(host);
   test::TempDirectory dir("rpa-watch-pop3");
   const std::string token = "pop-" + rpa::random_hex(6);
   // More than the 32 messages a cursor names, so that it names only the newest.
   for (int i = 0; i < 33; ++i) append(host, dir, "Filler " + std::to_string(i));
   rapidjson::Document now = run_ok(host, "Sibling.Wait", pop_wait(token, "", 1));
   const std::string cursor = now["cursor"].GetString();
   CHECK(cursor.rfind("pop3a1:p:", 0) == 0);
   CHECK(now["messages"].Size() == 0);

   // A message that comes while the wait runs: the next poll, on a new connection, sees it.
   rapidjson::Document one = test::arrived_of(
       test::wait_while(host, pop_wait(token, cursor, 60), [&] { append(host, dir, "One " + token); }));
   CHECK(only_subject(one) == "One " + token);
   CHECK(std::string(one["messages"][0]["ref"].GetString()).rfind("pop3:", 0) == 0);
   const std::string after_one = one["cursor"].GetString();
   rapidjson::Document none = run_ok(host, "Sibling.Wait", pop_wait(token, after_one, 1));
   CHECK(none["messages"].Size() == 0);

   // The bot fetches the message on its session, whose connection opened before it came: the
   // session opens a new one to see it.
   const std::string ref_one = one["messages"][0]["ref"].GetString();
   auto fetch = [&](const std::string &ref) {
      const std::string file = dir.file("f-" + rpa::random_hex(4) + ".eml");
      run_ok(host, "Sibling.Fetch", JsonBag().set("session_name", "Pop").set("ref", ref).set("file", file));
      return test::read_file(file);
   };
   CHECK(test::has(fetch(ref_one), "Subject: One " + token));
   CHECK(host.logged("may have come after this connection opened"));

   // It takes the message (DELE), and the next one comes: the cursor still finds its place by the
   // messages before the one taken and returns the next only, which the session fetches too
   // (its new connection carries out the deletion first).
   run_ok(host, "Sibling.Delete", JsonBag().set("session_name", "Pop").set("ref", ref_one));
   append(host, dir, "Two " + token);
   rapidjson::Document two = run_ok(host, "Sibling.Wait", pop_wait(token, after_one, 10));
   CHECK(only_subject(two) == "Two " + token);
   CHECK(test::has(fetch(two["messages"][0]["ref"].GetString()), "Subject: Two " + token));
   auto gone = host.run(
       "Sibling.Fetch",
       JsonBag().set("session_name", "Pop").set("ref", ref_one).set("file", dir.file("gone.eml")).str());
   CHECK(gone.status == RPA_MESSAGE_NOT_FOUND);

   // A partial cursor none of whose messages is left cannot be followed: from now, never guessed.
   rapidjson::Document reset = run_ok(host, "Sibling.Wait", pop_wait(token, "pop3a1:p:000000000000", 1));
   CHECK(reset["cursor_reset"].GetBool());
   CHECK(reset["messages"].Size() == 0);
   CHECK(host.logged("none of the messages the cursor remembers is left"));
   for (const char *bad : {"imap1:1:5", "pop3a1:p:", "pop3a1:x:000000000000", "pop3a1:c:00000000000g",
                           "pop3a1:c:000000000000,"}) {
      auto refused = host.run("Sibling.Wait", pop_wait(token, bad, 1).str());
      CHECK(refused.status == RPA_INVALID_PROPERTIES);
      CHECK_MESSAGE(test::has(refused.message, "not a cursor a POP3 wait returned"), bad);
   }
   // POP3 cannot know of attachments without downloading every message: refused, not guessed.
   auto attached = host.run(
       "Email.WaitForMessage",
       JsonBag().set("session_name", "Pop").set("has_attachments", true).set("timeout_seconds", 1).str());
   CHECK(attached.status == RPA_UNSUPPORTED);
   CHECK(test::has(attached.message, "POP3"));
}

// doveadm is a Linux program (test_mailbox.cpp says why it is not run under Wine).
TEST_CASE(
    "watch over POP3: a maildrop the bot empties is followed exactly - a cursor that named every message "
    "finds the new ones wherever they stand" *
    doctest::skip(test::on_windows)) {
   const std::string doveadm =
       "doveadm -c '" + test::DovecotPeer::get().value("PEER_DIR") + "/secure/dovecot.conf' ";
   REQUIRE(std::system((doveadm + "expunge -u ivan mailbox INBOX all").c_str()) == 0);
   TestHost host;
   connect_both(host);
   test::TempDirectory dir("rpa-watch-pop3");
   const std::string token = "pop-" + rpa::random_hex(6);
   append(host, dir, "Old mail");
   rapidjson::Document now = run_ok(host, "Sibling.Wait", pop_wait(token, "", 1));
   const std::string cursor = now["cursor"].GetString();
   CHECK(cursor.rfind("pop3a1:c:", 0) == 0);
   append(host, dir, "One " + token);
   rapidjson::Document one = run_ok(host, "Sibling.Wait", pop_wait(token, cursor, 10));
   CHECK(only_subject(one) == "One " + token);

   // Every message the cursor names is taken, and a new one comes: it is new, the rest are not.
   REQUIRE(std::system((doveadm + "expunge -u ivan mailbox INBOX all").c_str()) == 0);
   append(host, dir, "Two " + token);
   rapidjson::Document two = run_ok(host, "Sibling.Wait", pop_wait(token, one["cursor"].GetString(), 10));
   CHECK(only_subject(two) == "Two " + token);
   CHECK_FALSE(two["cursor_reset"].GetBool());
}
