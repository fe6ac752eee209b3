// TLS contexts shared per trust source, and kept sessions resumed, against the real Dovecot.
// A kept session is only offered to the same host name, port and trust source: the certificate
// was verified for exactly those when the session was made.
#include <rapidjson/document.h>

#include <cstdio>
#include <atomic>
#include <fstream>
#include <thread>
#include <vector>
#include <tuple>

#include "connect_helpers.h"

using test::DovecotPeer;
using test::session_of;
using test::TestHost;

namespace {

rpa_host::ActionOutcome connect(TestHost &host, test::JsonBag bag, const std::string &name) {
   bag.set("session_name", name);
   return host.run("Email.Connect", bag.str());
}

}  // namespace

TEST_SUITE("tls") {

TEST_CASE("a second IMAPS Connect to the same server resumes the TLS session") {
   TestHost host;
   auto first = connect(host, test::peer_bag("IMAP", "PEER_IMAPS_PORT"), "first");
   REQUIRE_MESSAGE(first.ok(), first.message);
   CHECK_FALSE(session_of(first)["tls_resumed"].GetBool());
   auto second = connect(host, test::peer_bag("IMAP", "PEER_IMAPS_PORT"), "second");
   REQUIRE_MESSAGE(second.ok(), second.message);
   CHECK(session_of(second)["tls_resumed"].GetBool());
   CHECK(session_of(second)["round_trips"].GetUint64() == 1);  // the login is unchanged
}

TEST_CASE("POP3S resumes too, and a session is not offered to another port") {
   TestHost host;
   auto imap = connect(host, test::peer_bag("IMAP", "PEER_IMAPS_PORT"), "imap");
   REQUIRE_MESSAGE(imap.ok(), imap.message);
   auto pop3 = connect(host, test::peer_bag("POP3", "PEER_POP3S_PORT"), "pop3");
   REQUIRE_MESSAGE(pop3.ok(), pop3.message);
   CHECK_FALSE(session_of(pop3)["tls_resumed"].GetBool());  // IMAPS' session is for its port
   auto again = connect(host, test::peer_bag("POP3", "PEER_POP3S_PORT"), "pop3 again");
   REQUIRE_MESSAGE(again.ok(), again.message);
   CHECK(session_of(again)["tls_resumed"].GetBool());
}

TEST_CASE("a session is not offered to another host name - 127.0.0.1 still fails the name check") {
   TestHost host;
   auto named = connect(host, test::peer_bag("IMAP", "PEER_IMAPS_PORT"), "by name");
   REQUIRE_MESSAGE(named.ok(), named.message);
   test::JsonBag by_address = test::peer_bag("IMAP", "PEER_IMAPS_PORT");
   by_address.set("host", "127.0.0.1");  // the certificate names only DNS:localhost
   auto refused = connect(host, by_address, "by address");
   CHECK(refused.status == RPA_TLS_FAILED);
   CHECK(test::has(refused.message, "host name check failed"));
}

TEST_CASE("a session is not offered under another ca_file - a new trust source means a full handshake") {
   TestHost host;
   auto first = connect(host, test::peer_bag("IMAP", "PEER_IMAPS_PORT"), "first");
   REQUIRE_MESSAGE(first.ok(), first.message);
   const std::string copy = DovecotPeer::get().value("PEER_DIR") + "/ca-copy.pem";
   {
      std::ifstream in(DovecotPeer::get().ca_file(), std::ios::binary);
      std::ofstream out(copy, std::ios::binary | std::ios::trunc);
      out << in.rdbuf();
   }
   test::JsonBag other_trust = test::peer_bag("IMAP", "PEER_IMAPS_PORT");
   other_trust.set("ca_file", copy);
   auto second = connect(host, other_trust, "second");
   std::remove(copy.c_str());
   REQUIRE_MESSAGE(second.ok(), second.message);
   CHECK_FALSE(session_of(second)["tls_resumed"].GetBool());
}

TEST_CASE(
    "Disconnect sends LOGOUT or QUIT and the TLS close_notify together - the server's close ends the wait") {
   for (auto [protocol, port, goodbye] : {std::tuple{"IMAP", "PEER_IMAPS_PORT", "IMAP C: A3 LOGOUT"},
                                          std::tuple{"POP3", "PEER_POP3S_PORT", "POP3 C: QUIT"}}) {
      CAPTURE(protocol);
      TestHost host;
      auto connected = host.run("Email.Connect", test::peer_bag(protocol, port).str());
      REQUIRE_MESSAGE(connected.ok(), connected.message);
      auto disconnected = host.run("Email.Disconnect", R"({"session_name": "Default"})");
      REQUIRE_MESSAGE(disconnected.ok(), disconnected.message);
      CHECK(test::result_of(disconnected)["logged_out"].GetBool());
      // Dovecot answers our close_notify with its own before its goodbye; either ends the wait.
      CHECK(host.logged(std::string(goodbye) + " (with the TLS close_notify)"));
   }
}

TEST_CASE("connects on many threads share one TLS context and its kept sessions") {
   TestHost host;
   std::atomic<int> connected{0}, resumed{0};
   std::vector<std::thread> threads;
   for (int t = 0; t < 6; ++t)
      threads.emplace_back([&, t] {
         for (int i = 0; i < 3; ++i) {
            auto outcome = connect(host, test::peer_bag("IMAP", "PEER_IMAPS_PORT"),
                                   "thread " + std::to_string(t) + " connect " + std::to_string(i));
            if (!outcome.ok()) continue;
            ++connected;
            rapidjson::Document result;
            result.Parse(outcome.result_json.c_str());
            if (result.IsObject() && result["session"]["tls_resumed"].GetBool()) ++resumed;
         }
      });
   for (auto &thread : threads) thread.join();
   CHECK(connected == 18);
   CHECK(resumed > 0);
}

}  // TEST_SUITE("tls")
