// Sessions by name: reuse by a separately built sibling plugin, Disconnect, duplicate and
// unknown names, concurrent Connects, and the connection types this platform cannot serve.
#include <rapidjson/document.h>

#include <algorithm>
#include <thread>

#include "connect_helpers.h"
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
   CHECK(host.logged("IMAP C: A2 LOGOUT"));
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

TEST_CASE("outlook is not available off Windows") {
   TestHost host;
   auto outlook = host.run("Email.Connect", R"({"connection":"outlook"})");
   CHECK(outlook.status == RPA_UNSUPPORTED);
   CHECK(outlook.message.find("Windows") != std::string::npos);
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
