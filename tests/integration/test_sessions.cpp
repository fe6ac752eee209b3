// Sessions by name: reuse by a separately built sibling plugin, Disconnect, duplicate and
// unknown names, concurrent Connects, and the connection types this platform cannot serve.
#include <rapidjson/document.h>

#include <algorithm>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "connect_helpers.h"
#include "files.h"
#include "platform.h"
#include "silent_server.h"
#include "rpa/ext/email_session.h"

using test::JsonBag;
using test::TestHost;

namespace {

std::string session_named(const std::string &name) { return JsonBag().set("session_name", name).str(); }

}  // namespace

TEST_SUITE("sessions") {

TEST_CASE("the sibling plugin lists IMAP folders through the session - UTF-8 names included") {
   TestHost host;
   REQUIRE(
       host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").set("session_name", "Mail").str())
           .ok());
   auto listed = host.run("Sibling.ListFolders", session_named("Mail"));
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   auto folders = test::folders_of(listed);
   CHECK(test::contains(folders, "INBOX"));
   CHECK(test::contains(folders, "Sent"));
   CHECK(test::contains(folders, "Drafts"));
   CHECK(test::contains(folders, "Project X"));
   CHECK(test::contains(folders, "日本語"));
}

TEST_CASE("the sibling plugin lists the single POP3 folder") {
   TestHost host;
   REQUIRE(host.run("Email.Connect", test::peer_bag("POP3", "PEER_POP3S_PORT").str()).ok());
   auto listed = host.run("Sibling.ListFolders", "{}");
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   CHECK(test::folders_of(listed) == std::vector<std::string>{"INBOX"});
}

TEST_CASE("Disconnect logs out and frees the name") {
   TestHost host;
   auto connected = host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").str());
   REQUIRE(connected.ok());
   // Connect hands back the handle it stored under the name.
   const rpa_session_handle *stored = nullptr;
   REQUIRE(host.services()->session_get(host.services()->host_data, "Default", "email.session", 1, &stored) ==
           RPA_OK);
   CHECK(connected.session == stored);
   stored->release(stored);
   auto disconnected = host.run("Email.Disconnect", "{}");
   REQUIRE_MESSAGE(disconnected.ok(), disconnected.message);
   CHECK(disconnected.session == nullptr);
   CHECK(disconnected.result_json == R"({"session_name":"Default","logged_out":true})");
   CHECK(host.logged("IMAP C: A3 LOGOUT"));  // A1 ID, A2 AUTHENTICATE
   CHECK(host.sessions().names().empty());
   CHECK(host.run("Sibling.ListFolders", "{}").status == RPA_SESSION_NOT_FOUND);
   auto again = host.run("Email.Connect", test::peer_bag("POP3", "PEER_POP3S_PORT").str());
   CHECK_MESSAGE(again.ok(), again.message);
   CHECK(host.run("Email.Disconnect", "{}").ok());
   CHECK(host.logged("POP3 C: QUIT"));
}

TEST_CASE("a session name in use is refused before connecting - and the first session lives on") {
   TestHost host;
   REQUIRE(host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").str()).ok());
   auto logs_before = host.logs().size();
   auto duplicate = host.run("Email.Connect", test::peer_bag("POP3", "PEER_POP3S_PORT").str());
   CHECK(duplicate.status == RPA_SESSION_NAME_IN_USE);
   CHECK(duplicate.message.find("\"Default\" is already in use") != std::string::npos);
   for (std::size_t i = logs_before; i < host.logs().size(); ++i)
      CHECK(host.logs()[i].find("POP3 C:") == std::string::npos);
   CHECK(host.run("Sibling.ListFolders", "{}").ok());
}

TEST_CASE("an unknown session name") {
   TestHost host;
   auto outcome = host.run("Email.Disconnect", session_named("Nope"));
   CHECK(outcome.status == RPA_SESSION_NOT_FOUND);
   CHECK(outcome.message.find("no session named \"Nope\"") != std::string::npos);
   CHECK(host.run("Sibling.ListFolders", session_named("Nope")).status == RPA_SESSION_NOT_FOUND);
}

TEST_CASE("sessions opened from several threads at once are independent") {
   TestHost host;
   const int kThreads = 6;
   std::vector<rpa_host::ActionOutcome> outcomes(kThreads);
   std::vector<std::thread> threads;
   for (int i = 0; i < kThreads; ++i) {
      std::string bag = test::peer_bag(i % 2 ? "POP3" : "IMAP", i % 2 ? "PEER_POP3S_PORT" : "PEER_IMAPS_PORT")
                            .set("session_name", "S" + std::to_string(i))
                            .str();
      threads.emplace_back([&, i, bag] { outcomes[i] = host.run("Email.Connect", bag); });
   }
   for (auto &thread : threads) thread.join();
   for (auto &outcome : outcomes) CHECK_MESSAGE(outcome.ok(), outcome.message);
   CHECK(host.sessions().names().size() == kThreads);
   threads.clear();
   std::vector<rpa_host::ActionOutcome> listed(kThreads);
   for (int i = 0; i < kThreads; ++i)
      threads.emplace_back(
          [&, i] { listed[i] = host.run("Sibling.ListFolders", session_named("S" + std::to_string(i))); });
   for (auto &thread : threads) thread.join();
   for (auto &outcome : listed) CHECK_MESSAGE(outcome.ok(), outcome.message);
}

TEST_CASE("the session interface: noop - info - close - then closed") {
   TestHost host;
   REQUIRE(host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").str()).ok());
   const rpa_email_session *session = test::email_session_named(host, "Default");
   std::string text;
   rpa_text_sink sink = test::string_sink(text);
   CHECK(session->noop(session, host.services(), &sink) == RPA_OK);
   CHECK(session->close(session, host.services(), &sink) == RPA_OK);
   text.clear();
   CHECK(session->noop(session, host.services(), &sink) == RPA_SESSION_NOT_FOUND);
   text.clear();
   CHECK(session->info(session, &sink) == RPA_OK);
   CHECK(text.find("\"state\":\"closed\"") != std::string::npos);
   session->handle.release(&session->handle);
}

TEST_CASE("outlook without classic Outlook says unsupported and names the ways without Outlook") {
   // Off Windows the message says it needs Windows; on Windows (Wine here) without Outlook
   // registered it says Outlook is not installed. Both name the connections that need no Outlook.
   TestHost host;
   auto outlook = host.run("Email.Connect", R"({"connection":"outlook"})");
   CHECK(outlook.status == RPA_UNSUPPORTED);
   CHECK(outlook.message.find("\"microsoft365\"") != std::string::npos);
   CHECK(outlook.message.find("\"ews\"") != std::string::npos);
   CHECK((outlook.message.find("Windows") != std::string::npos ||
          outlook.message.find("not installed") != std::string::npos));
   CHECK(host.sessions().names().empty());
}

}  // TEST_SUITE("sessions")

TEST_SUITE("sessions") {
TEST_CASE("two hosts in one process each init and deinit the plugin once") {
   auto first = std::make_unique<TestHost>();
   TestHost second;
   first.reset();  // deinit from the first host must not pull the actions from under the second
   auto outcome = second.run("Email.Connect", R"({"connection":"outlook"})");
   CHECK(outcome.status == RPA_UNSUPPORTED);
   CHECK(outcome.message.find("not initialised") == std::string::npos);
}
}  // TEST_SUITE("sessions")

TEST_SUITE("sessions") {
TEST_CASE("outlook says unsupported even when the session name is taken") {
   TestHost host;
   REQUIRE(host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").str()).ok());
   auto outlook = host.run("Email.Connect", R"({"connection":"outlook"})");
   CHECK(outlook.status == RPA_UNSUPPORTED);
}
}  // TEST_SUITE("sessions")

TEST_SUITE("sessions") {

namespace {
// Ends every Dovecot session of `user` on the peer's "secure" instance (doveadm kick): what an
// idle session meets after the server's autologout, or when its connection drops.
// Waits (up to 10 s each) until Dovecot lists the session (a login hands over to the mail process
// asynchronously, and a kick before that misses it), and after the kick until it is gone.
void kick(const std::string &user) {
   const std::string doveadm =
       "doveadm -c '" + test::DovecotPeer::get().value("PEER_DIR") + "/secure/dovecot.conf' ";
   const std::string listed = doveadm + "who " + user + " 2>/dev/null | grep -q '^" + user + " '";
   for (int i = 0; i < 100 && std::system(listed.c_str()) != 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
   REQUIRE(std::system((doveadm + "kick " + user + " >/dev/null 2>&1").c_str()) == 0);
   for (int i = 0; i < 100 && std::system(listed.c_str()) == 0; ++i)  // until the session is gone
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
}
}  // namespace

// kick() runs doveadm, a Linux program: these two are not run from a Windows test process (under
// Wine it starts, but its exit status is lost).
TEST_CASE("a session whose connection the server ended reconnects once on the next call - IMAP and POP3" *
          doctest::skip(test::on_windows)) {
   for (auto [protocol, port] :
        {std::pair{"IMAP", "PEER_IMAPS_PORT"}, std::pair{"POP3", "PEER_POP3S_PORT"}}) {
      const std::string name = protocol;
      CAPTURE(name);
      TestHost host;
      auto connected = host.run("Email.Connect", test::peer_bag(protocol, port, "carol").str());
      REQUIRE_MESSAGE(connected.ok(), connected.message);
      kick("carol");
      const rpa_email_session *session = test::email_session_named(host, "Default");
      std::string message, json;
      rpa_text_sink message_sink = test::string_sink(message), json_sink = test::string_sink(json);
      // noop talks to the server for both (POP3 lists its one folder without asking).
      CHECK_MESSAGE(session->noop(session, host.services(), &message_sink) == RPA_OK, message);
      CHECK_MESSAGE(session->list_folders(session, host.services(), &json_sink, &message_sink) == RPA_OK,
                    message);
      CHECK(test::has(json, "INBOX"));
      CHECK(host.logged("reconnecting once"));
      std::string info;
      rpa_text_sink info_sink = test::string_sink(info);
      REQUIRE(session->info(session, &info_sink) == RPA_OK);
      CHECK(test::has(info, "\"reconnects\":1"));
      CHECK(test::has(info, "\"state\":\"authenticated\""));
      session->handle.release(&session->handle);
      test::check_no_secret_leaked(host, message, json);
   }
}

// heidi, not carol: the test above kicks every session of carol, and ctest runs tests side by side.
TEST_CASE(
    "a mailbox call after the server ended the connection reconnects - selects its folder again - goes on" *
    doctest::skip(test::on_windows)) {
   TestHost host;
   REQUIRE(host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT", "heidi").str()).ok());
   const std::string path = test::unused_temp_path("rpa-reconnect");
   const std::string subject = "Reconnect " + rpa::random_hex(6);
   const std::string message = "From: heidi@example.com\r\nSubject: " + subject + "\r\n\r\nHi.\r\n";
   REQUIRE(static_cast<bool>(std::ofstream(path, std::ios::binary) << message));
   auto appended = host.run("Sibling.Append", JsonBag().set("file", path).str());
   std::remove(path.c_str());
   REQUIRE_MESSAGE(appended.ok(), appended.message);
   const std::string ref = test::result_of(appended)["ref"].GetString();
   auto listed =
       host.run("Sibling.ListMessages", JsonBag().set("subject_contains", subject).str());  // selects INBOX
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   kick("heidi");
   auto marked = host.run("Sibling.SetFlags", JsonBag().set("ref", ref).set("flagged", true).str());
   CHECK_MESSAGE(marked.ok(), marked.message);
   CHECK(host.logged("reconnecting once"));
   CHECK(host.logged("IMAP C: A3 SELECT \"INBOX\""));  // on the new connection (A1 ID, A2 AUTHENTICATE)
   auto after = host.run("Sibling.ListMessages", JsonBag().set("subject_contains", subject).str());
   REQUIRE(after.ok());
   CHECK(test::has(after.result_json, "\"flagged\":true"));
   CHECK(host.run("Sibling.Delete", JsonBag().set("ref", ref).set("permanently", true).str()).ok());
}

TEST_CASE("a reconnect that fails says the connection was lost and why - and the next call tries again") {
   test::ScriptedServer server("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n",
                               {"A1 OK [CAPABILITY IMAP4rev1] in\r\n", "* BYE going away\r\n"});
   TestHost host;
   auto connected =
       host.run("Email.Connect", test::plain_loopback_bag(server.port(), "IMAP", "carol", 2).str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   const rpa_email_session *session = test::email_session_named(host, "Default");
   std::string message;
   rpa_text_sink message_sink = test::string_sink(message);
   // The server answers NOOP with BYE and serves no second connection: the reconnect times out.
   const rpa_status status = session->noop(session, host.services(), &message_sink);
   CHECK(status == RPA_TIMEOUT);
   CHECK(test::has(message, "was lost"));
   CHECK(test::has(message, "reconnecting failed"));
   std::string info;
   rpa_text_sink info_sink = test::string_sink(info);
   REQUIRE(session->info(session, &info_sink) == RPA_OK);
   CHECK(test::has(info, "\"state\":\"disconnected\""));
   session->handle.release(&session->handle);
}

}  // TEST_SUITE("sessions")
