// Connect over POP3 against the real Dovecot: implicit TLS, STLS, plain text, a server that
// takes no password in clear text, wrong passwords, vault credentials.
#include <rapidjson/document.h>

#include "connect_helpers.h"
#include "silent_server.h"

using test::DovecotPeer;
using test::JsonBag;
using test::TestHost;

using test::result_of;

TEST_SUITE("pop3") {

TEST_CASE("POP3 over implicit TLS sends AUTH PLAIN with an initial response at once - no CAPA") {
   TestHost host;
   auto outcome = host.run("Email.Connect", test::peer_bag("POP3", "PEER_POP3S_PORT").str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   auto result = result_of(outcome);
   CHECK(std::string(result["session"]["protocol"].GetString()) == "POP3");
   CHECK(result["session"]["tls_version"].IsString());
   CHECK(result["session"]["round_trips"].GetUint64() == 1);  // AUTH PLAIN <ir>
   CHECK(host.logged("POP3 C: AUTH PLAIN ****"));
   CHECK_FALSE(host.logged("POP3 C: CAPA"));
   test::check_no_secret_leaked(host, outcome.message, outcome.result_json);
}

TEST_CASE("POP3 with STLS forgets the pre-TLS CAPA and signs in at once after the upgrade") {
   TestHost host;
   auto outcome = host.run("Email.Connect", test::peer_bag("POP3", "PEER_POP3_STLS_PORT").str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   CHECK(result_of(outcome)["session"]["tls_version"].IsString());
   CHECK(result_of(outcome)["session"]["round_trips"].GetUint64() == 3);  // CAPA, STLS, AUTH
   CHECK(host.logged("POP3 C: STLS"));
   CHECK(host.logged("POP3 C: AUTH PLAIN ****"));
}

TEST_CASE("POP3 refuses a server without STLS when TLS is required") {
   TestHost host;
   auto outcome = host.run("Email.Connect", test::peer_bag("POP3", "PEER_PLAIN_POP3_PORT").str());
   CHECK(outcome.status == RPA_TLS_FAILED);
   CHECK(outcome.message.find("does not offer STLS") != std::string::npos);
   CHECK_FALSE(host.logged("AUTH"));
   CHECK_FALSE(host.logged("PASS"));
}

TEST_CASE("POP3 in plain text with use_secure_connection false") {
   TestHost host;
   auto outcome =
       host.run("Email.Connect",
                test::peer_bag("POP3", "PEER_PLAIN_POP3_PORT").set("use_secure_connection", false).str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   CHECK(result_of(outcome)["session"]["tls_version"].IsNull());
   CHECK(host.logged("continuing WITHOUT encryption"));
}

TEST_CASE("a POP3 server that takes no password in clear text gets none") {
   TestHost host;
   const DovecotPeer &peer = DovecotPeer::get();
   auto outcome = host.run("Email.Connect", test::peer_bag("POP3", "PEER_STRICT_POP3_PORT")
                                                .set("host", peer.value("PEER_STRICT_HOST"))
                                                .set("use_secure_connection", false)
                                                .str());
   CHECK(outcome.status == RPA_AUTHENTICATION_FAILED);
   CHECK(outcome.message.find("no password was sent") != std::string::npos);
   CHECK_FALSE(host.logged("POP3 C: AUTH"));
   CHECK_FALSE(host.logged("POP3 C: USER"));
   CHECK_FALSE(host.logged("POP3 C: PASS"));
}

TEST_CASE("a wrong POP3 password says authentication failed") {
   TestHost host;
   auto outcome = host.run("Email.Connect",
                           test::peer_bag("POP3", "PEER_POP3S_PORT").set("password", "Wrong-Pa55word").str());
   CHECK(outcome.status == RPA_AUTHENTICATION_FAILED);
   CHECK(outcome.message.find("authentication failed") == 0);
   CHECK(outcome.message.find("Wrong-Pa55word") == std::string::npos);
}

TEST_CASE("POP3 with the awkward password and with vault credentials") {
   TestHost host;
   auto bob = host.run("Email.Connect", test::peer_bag("POP3", "PEER_POP3S_PORT", "bob").str());
   REQUIRE_MESSAGE(bob.ok(), bob.message);
   host.vault().set("Mail", "alice", "password", rpa::SecretString(DovecotPeer::get().password("alice")));
   auto alice =
       host.run("Email.Connect", test::peer_bag("POP3", "PEER_POP3S_PORT")
                                     .set("session_name", "Alice")
                                     .set("password", JsonBag::credential("Mail", "alice", "password"))
                                     .str());
   REQUIRE_MESSAGE(alice.ok(), alice.message);
   test::check_no_secret_leaked(host, alice.message, alice.result_json);
}

TEST_CASE("USER/PASS when the server offers no SASL PLAIN") {
   test::ScriptedServer server(
       "+OK ready\r\n", {"+OK\r\nCAPA\r\nUSER\r\n.\r\n", "+OK\r\n", "+OK logged in\r\n", "+OK bye\r\n"});
   TestHost host;
   auto outcome = host.run(
       "Email.Connect",
       test::loopback_bag(server.port(), "POP3", "alice", "pw").set("use_secure_connection", false).str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   host.sessions().clear();
   auto received = server.received();
   REQUIRE(received.size() == 4);
   CHECK(received[0] == "CAPA");
   CHECK(received[1] == "USER alice");
   CHECK(received[2] == "PASS pw");
   CHECK(received[3] == "QUIT");
   CHECK(host.logged("POP3 C: PASS ****"));
}

}  // TEST_SUITE("pop3")

TEST_SUITE("pop3") {
TEST_CASE("a line break in the username never reaches a USER command") {
   // Refused while the properties are resolved: the server never sees a connection.
   test::SilentServer server;
   TestHost host;
   auto outcome = host.run("Email.Connect", test::loopback_bag(server.port(), "POP3", "alice\r\nDELE 1", "pw")
                                                .set("use_secure_connection", false)
                                                .str());
   CHECK(outcome.status == RPA_INVALID_PROPERTIES);
   CHECK(outcome.message.find("line break") != std::string::npos);
   CHECK_FALSE(server.wait_for_connection(0));
}
}  // TEST_SUITE("pop3")

TEST_SUITE("pop3") {
TEST_CASE("a capability list that never ends is cut off") {
   std::string endless = "+OK\r\n";
   for (int i = 0; i < 1200; ++i) endless += "X-CAPABILITY-" + std::to_string(i) + "\r\n";
   test::ScriptedServer server("+OK ready\r\n", {endless});
   TestHost host;
   auto outcome = host.run(
       "Email.Connect",
       test::loopback_bag(server.port(), "POP3", "alice", "pw").set("use_secure_connection", false).str());
   CHECK(outcome.status == RPA_PROTOCOL_ERROR);
   CHECK(outcome.message.find("capability list without an end") != std::string::npos);
}
}  // TEST_SUITE("pop3")

namespace {
// A bag for a ScriptedServer speaking TLS with the peer's "localhost" certificate.
test::JsonBag tls_script_bag(int port, const std::string &password) {
   test::JsonBag bag = test::loopback_bag(port, "POP3", "alice", password);
   bag.set("host", "localhost")
       .set("tls_mode", "implicit")
       .set("ca_file", test::DovecotPeer::get().ca_file());
   return bag;
}
}  // namespace

TEST_SUITE("pop3") {

TEST_CASE("POP3 over TLS falls back to CAPA and USER/PASS when AUTH draws a bare -ERR") {
   test::ScriptedServer server(
       "+OK ready\r\n",
       {"-ERR unknown command\r\n", "+OK\r\nUSER\r\n.\r\n", "+OK\r\n", "+OK logged in\r\n", "+OK bye\r\n"},
       true);
   TestHost host;
   auto outcome = host.run("Email.Connect", tls_script_bag(server.port(), "pw").str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   CHECK(std::string(result_of(outcome)["session"]["login_method"].GetString()) == "USER/PASS");
   host.sessions().clear();  // QUIT
   const std::vector<std::string> received = server.received();
   REQUIRE(received.size() >= 4);
   CHECK(received[0].rfind("AUTH PLAIN ", 0) == 0);
   CHECK(received[1] == "CAPA");
   CHECK(received[2] == "USER alice");
   CHECK(received[3] == "PASS pw");
}

TEST_CASE("POP3 over TLS - an AUTH refused with [AUTH] is final - the password goes once") {
   test::ScriptedServer server("+OK ready\r\n", {"-ERR [AUTH] Authentication failed.\r\n", "+OK\r\n"}, true);
   TestHost host;
   auto outcome = host.run("Email.Connect", tls_script_bag(server.port(), "wrong").str());
   CHECK(outcome.status == RPA_AUTHENTICATION_FAILED);
   CHECK(test::has(outcome.message, "rejected the username or password"));
   const std::vector<std::string> received = server.received();
   REQUIRE_FALSE(received.empty());
   CHECK(received[0].rfind("AUTH PLAIN ", 0) == 0);
   for (const std::string &line : received) CHECK(line.rfind("USER", 0) != 0);
   for (const std::string &line : received) CHECK(line != "CAPA");
}

}  // TEST_SUITE("pop3")
