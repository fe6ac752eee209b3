// tls_mode that finds out: "auto" on a port that is not 993/995 waits a second for a greeting, and
// a server that stays silent is tried with TLS at once; an explicit tls_mode that the server does
// not speak is a clear error naming the fix, never a bare timeout. Against the real Dovecot, whose
// test ports are all non-standard.
#include <rapidjson/document.h>

#include <chrono>

#include "connect_helpers.h"
#include "imap/imap_client.h"
#include "silent_server.h"

using test::TestHost;

namespace {

test::JsonBag bag_without_tls_mode(const std::string &protocol, const std::string &port_name) {
   test::JsonBag bag = test::peer_bag(protocol, port_name);
   bag.erase("tls_mode");
   return bag;
}

}  // namespace

TEST_SUITE("tls") {

TEST_CASE("tls_mode auto finds out that a non-standard port expects TLS at once - IMAP and POP3") {
   for (auto [protocol, port] :
        {std::pair{"IMAP", "PEER_IMAPS_PORT"}, std::pair{"POP3", "PEER_POP3S_PORT"}}) {
      CAPTURE(protocol);
      TestHost host;
      auto outcome = host.run("Email.Connect", bag_without_tls_mode(protocol, port).str());
      REQUIRE_MESSAGE(outcome.ok(), outcome.message);
      CHECK(test::has(outcome.message, "expects TLS at once, so implicit TLS was used"));
      CHECK(test::result_of(outcome)["session"]["tls_version"].IsString());
   }
}

TEST_CASE("tls_mode auto on a port that greets in plain text uses STARTTLS without waiting") {
   TestHost host;
   auto outcome = host.run("Email.Connect", bag_without_tls_mode("IMAP", "PEER_IMAP_STARTTLS_PORT").str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   CHECK_FALSE(test::has(outcome.message, "tls_mode auto"));  // nothing to find out
   CHECK(host.logged("IMAP C: A1 STARTTLS"));
}

TEST_CASE("tls_mode implicit on a port that greets in plain text names the fix") {
   TestHost host;
   test::JsonBag bag = test::peer_bag("IMAP", "PEER_IMAP_STARTTLS_PORT");
   bag.set("tls_mode", "implicit");
   auto outcome = host.run("Email.Connect", bag.str());
   CHECK(outcome.status == RPA_TLS_FAILED);
   CHECK(test::has(outcome.message, "answered the TLS handshake in plain text"));
   CHECK(test::has(outcome.message, "set tls_mode to \"starttls\""));
}

TEST_CASE("tls_mode starttls on a port that expects TLS at once names the fix - not a timeout") {
   for (auto [protocol, port] :
        {std::pair{"IMAP", "PEER_IMAPS_PORT"}, std::pair{"POP3", "PEER_POP3S_PORT"}}) {
      CAPTURE(protocol);
      TestHost host;
      test::JsonBag bag = test::peer_bag(protocol, port);
      bag.set("tls_mode", "starttls").set("timeout_seconds", 60);
      auto outcome = host.run("Email.Connect", bag.str());
      CHECK(outcome.status == RPA_TLS_FAILED);
      CHECK(test::has(outcome.message, "expects TLS at once"));
      CHECK(test::has(outcome.message, "set tls_mode to \"implicit\""));
   }
}

TEST_CASE(
    "tls_mode auto - a plain-text server that greets after the grace answers our TLS try in plain text") {
   // The first connection gets a ClientHello after the silent second and answers it with its
   // greeting; the client starts again on a second connection and waits for the greeting there.
   test::ScriptedServer server("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] slow\r\n",
                               {"A1 OK [CAPABILITY IMAP4rev1] in\r\n", "* BYE bye\r\nA2 OK out\r\n"}, false,
                               std::chrono::milliseconds(1500), 2);
   TestHost host;
   auto outcome =
       host.run("Email.Connect", test::plain_loopback_bag(server.port(), "IMAP", "alice", 20).str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   CHECK(test::result_of(outcome)["session"]["tls_version"].IsNull());
   host.sessions().clear();
   CHECK(server.accepted() == 2);
}

TEST_CASE(
    "tls_mode auto's implicit guess (993 and 995) meeting a plain-text greeting goes on with STARTTLS") {
   // The guess is implicit TLS only on 993/995, which the tests cannot listen on: this drives the
   // IMAP client directly with such a guessed endpoint. The scripted server offers no STARTTLS, so
   // the second connection ends in the STARTTLS refusal, which shows the switch happened.
   test::ScriptedServer server("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] plain\r\n", {"A1 OK\r\n"}, false,
                               std::chrono::milliseconds(0), 2);
   email::ServerEndpoint endpoint;
   endpoint.host = "127.0.0.1";
   endpoint.port = static_cast<std::uint16_t>(server.port());
   endpoint.tls = email::TlsPolicy::implicit;
   endpoint.tls_guessed = true;
   endpoint.timeout = std::chrono::seconds(10);
   const email::HostServices host(nullptr);
   email::CallContext context(host, endpoint.timeout, endpoint.label());
   try {
      email::ImapClient::open(endpoint, "alice", email::SecretString("pw"), context);
      FAIL("a server without STARTTLS cannot be signed in to when TLS was asked for");
   } catch (const email::Failure &failure) {
      CHECK(failure.status() == RPA_TLS_FAILED);
      CHECK(test::has(failure.what(), "does not offer STARTTLS"));
   }
   CHECK(server.accepted() == 2);
}

}  // TEST_SUITE("tls")
