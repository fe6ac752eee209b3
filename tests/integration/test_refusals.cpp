// Inputs that could forge a log line or break a protocol are refused with invalid_properties
// before anything reaches the network: control characters in session names and credential
// names, NUL in passwords, line breaks in usernames.
#include "connect_helpers.h"
#include "silent_server.h"

using test::has;
using test::JsonBag;
using test::TestHost;

namespace {

void check_no_forged_line(const TestHost &host) {
   for (const std::string &line : host.logs()) {
      CHECK_MESSAGE(line.find('\n') == std::string::npos, "a log line holds a line break");
      CHECK_MESSAGE(line.find('\r') == std::string::npos, "a log line holds a carriage return");
   }
}

}  // namespace

TEST_SUITE("properties") {

TEST_CASE("session names with CR - LF - NUL or TAB are refused by Connect and Disconnect") {
   test::SilentServer server;
   for (const std::string &name : {std::string("Mail\r\n[INFO] forged"), std::string("Mail\nX"),
                                   std::string("Mail\0X", 6), std::string("Mail\tX")}) {
      TestHost host;
      auto connect =
          host.run("Email.Connect",
                   test::loopback_bag(server.port(), "IMAP", "alice", "pw").set("session_name", name).str());
      CHECK(connect.status == RPA_INVALID_PROPERTIES);
      CHECK(has(connect.message, "session_name must not contain control characters"));
      auto disconnect = host.run("Email.Disconnect", JsonBag().set("session_name", name).str());
      CHECK(disconnect.status == RPA_INVALID_PROPERTIES);
      CHECK(host.sessions().names().empty());
      check_no_forged_line(host);
   }
   CHECK_FALSE(server.wait_for_connection(0));
}

TEST_CASE("a password with NUL is refused before anything is sent - typed or from the vault") {
   test::SilentServer server;
   TestHost host;
   const std::string with_nul("secret\0Xyzzy", 12);
   auto typed = host.run("Email.Connect", test::loopback_bag(server.port(), "IMAP", "alice", with_nul).str());
   CHECK(typed.status == RPA_INVALID_PROPERTIES);
   CHECK(has(typed.message, "password (typed) contains a NUL character"));
   CHECK_FALSE(has(typed.message, "Xyzzy"));

   host.vault().set("Mail", "alice", "password", rpa::SecretString(with_nul));
   auto stored =
       host.run("Email.Connect", test::loopback_bag(server.port(), "POP3", "alice", "")
                                     .set("password", JsonBag::credential("Mail", "alice", "password"))
                                     .str());
   CHECK(stored.status == RPA_INVALID_PROPERTIES);
   CHECK(has(stored.message, "password (from the Credential Vault) contains a NUL character"));
   CHECK_FALSE(server.wait_for_connection(0));  // nothing reached the network
}

TEST_CASE("a username with a line break or NUL is refused - for EWS too") {
   test::SilentServer server;
   TestHost host;
   auto imap = host.run("Email.Connect",
                        test::loopback_bag(server.port(), "IMAP", "alice\r\nA2 DELETE INBOX", "pw").str());
   CHECK(imap.status == RPA_INVALID_PROPERTIES);
   CHECK(has(imap.message, "username (typed) contains a NUL character or a line break"));
   JsonBag ews;
   ews.set("connection", "ews")
       .set("username", std::string("alice\0@contoso.test", 19))
       .set("password", "pw")
       .set("ews_url", "https://127.0.0.1:" + std::to_string(server.port()) + "/EWS/Exchange.asmx");
   auto refused = host.run("Email.Connect", ews.str());
   CHECK(refused.status == RPA_INVALID_PROPERTIES);
   CHECK_FALSE(server.wait_for_connection(0));
   check_no_forged_line(host);
}

TEST_CASE("credential names with control characters are refused - not truncated at a NUL") {
   TestHost host;
   host.vault().set("Mail", "alice", "password", rpa::SecretString("the real one"));
   auto refused =
       host.run("Email.Connect",
                test::loopback_bag(1, "IMAP", "alice", "")
                    .set("password", JsonBag::credential(std::string("Mail\0evil", 9), "alice", "password"))
                    .str());
   CHECK(refused.status == RPA_INVALID_PROPERTIES);
   CHECK(has(refused.message, "the credential's locker holds control characters"));
   check_no_forged_line(host);
}

}  // TEST_SUITE("properties")
