// Certificate checks: an untrusted CA, a wrong host name, an unreadable CA file, the system store.
#include "connect_helpers.h"

using test::DovecotPeer;
using test::TestHost;

TEST_SUITE("tls") {

TEST_CASE("an untrusted CA fails the chain check - named as such") {
   for (const char *protocol : {"IMAP", "POP3"}) {
      CAPTURE(protocol);
      TestHost host;
      auto port = std::string(protocol) == "IMAP" ? "PEER_IMAPS_PORT" : "PEER_POP3S_PORT";
      auto outcome =
          host.run("Email.Connect",
                   test::peer_bag(protocol, port).set("ca_file", DovecotPeer::get().other_ca_file()).str());
      CHECK(outcome.status == RPA_TLS_FAILED);
      CHECK(outcome.message.find("certificate chain check failed") != std::string::npos);
      CHECK(outcome.message.find("unable to get local issuer certificate") != std::string::npos);
      CHECK_FALSE(host.logged("C: AUTH"));
      CHECK_FALSE(host.logged("AUTHENTICATE"));
   }
}

TEST_CASE("without ca_file the system store does not trust the test CA") {
   TestHost host;
   auto outcome = host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").erase("ca_file").str());
   CHECK(outcome.status == RPA_TLS_FAILED);
   CHECK(outcome.message.find("certificate chain check failed") != std::string::npos);
}

TEST_CASE("a certificate for another name fails the host name check") {
   // The server's certificate names "localhost" only.
   for (auto [protocol, port] : {std::pair{"IMAP", "PEER_IMAP_STARTTLS_PORT"},
                                 {"IMAP", "PEER_IMAPS_PORT"},
                                 {"POP3", "PEER_POP3_STLS_PORT"},
                                 {"POP3", "PEER_POP3S_PORT"}}) {
      CAPTURE(std::string(port));
      TestHost host;
      auto outcome = host.run("Email.Connect", test::peer_bag(protocol, port).set("host", "127.0.0.1").str());
      CHECK(outcome.status == RPA_TLS_FAILED);
      CHECK(outcome.message.find("host name check failed") != std::string::npos);
      CHECK(outcome.message.find("127.0.0.1") != std::string::npos);
      CHECK_FALSE(host.logged("IMAP C: A2 AUTHENTICATE"));
      CHECK_FALSE(host.logged("POP3 C: AUTH"));
   }
}

TEST_CASE("an unreadable ca_file is named") {
   TestHost host;
   auto outcome =
       host.run("Email.Connect",
                test::peer_bag("IMAP", "PEER_IMAPS_PORT").set("ca_file", "/nonexistent/ca.pem").str());
   CHECK(outcome.status == RPA_TLS_FAILED);
   CHECK(outcome.message.find("cannot read the CA file \"/nonexistent/ca.pem\"") != std::string::npos);
}

TEST_CASE("host names are not case-sensitive") {
   TestHost host;
   auto outcome =
       host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").set("host", "LocalHost").str());
   CHECK_MESSAGE(outcome.ok(), outcome.message);
}

}  // TEST_SUITE("tls")
