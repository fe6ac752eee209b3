// IMAP and POP3 servers that never stop talking, or talk in ways a careless reader mistakes:
// timeout_seconds is a deadline for the whole Connect however the bytes trickle, and literal
// data is data. Outcomes are asserted, never durations.
#include "connect_helpers.h"
#include "silent_server.h"

using test::has;
using test::TestHost;

namespace {
using namespace std::chrono_literals;
}

TEST_SUITE("timeout") {

TEST_CASE("a greeting sent one byte at a time cannot stretch Connect past timeout_seconds") {
   for (const char *protocol : {"IMAP", "POP3"}) {
      CAPTURE(protocol);
      test::TricklingServer server("", "*", 100ms, false);  // a 64 KiB line at 10 bytes/s: hours
      TestHost host;
      auto outcome = host.run("Email.Connect", test::loopback_bag(server.port(), protocol, "alice", "pw")
                                                   .set("use_secure_connection", false)
                                                   .set("timeout_seconds", 1)
                                                   .str());
      CHECK(outcome.status == RPA_TIMEOUT);
      CHECK(has(outcome.message,
                "127.0.0.1:" + std::to_string(server.port()) + " did not answer within 1 seconds"));
      CHECK(server.bytes_sent() > 0);
   }
}

TEST_CASE("an endless stream of untagged responses during login ends at timeout_seconds") {
   test::TricklingServer server("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n", "* 1 EXISTS\r\n",
                                2ms, true);
   TestHost host;
   auto outcome = host.run("Email.Connect", test::loopback_bag(server.port(), "IMAP", "alice", "pw")
                                                .set("use_secure_connection", false)
                                                .set("timeout_seconds", 1)
                                                .str());
   CHECK(outcome.status == RPA_TIMEOUT);
   CHECK(has(outcome.message, "did not answer within 1 seconds (timeout_seconds)"));
   CHECK(server.bytes_sent() > 100);
}

TEST_CASE("an endless POP3 capability list ends at timeout_seconds") {
   test::TricklingServer server("+OK hi\r\n", "X-NOISE\r\n", 2ms, true, "+OK capabilities follow\r\n");
   TestHost host;
   auto outcome = host.run("Email.Connect", test::loopback_bag(server.port(), "POP3", "alice", "pw")
                                                .set("use_secure_connection", false)
                                                .set("timeout_seconds", 1)
                                                .str());
   INFO(outcome.message);
   CHECK(outcome.status == RPA_TIMEOUT);
   CHECK(server.bytes_sent() > 100);
}

}  // TEST_SUITE("timeout")

TEST_SUITE("imap") {

TEST_CASE("literal data that ends like a literal marker is data") {
   // The first mailbox name is the 4-byte literal "q{0}"; a reader that looks for a literal
   // announcement at the end of the literal's bytes reads a second, empty literal and swallows
   // the next response (the INBOX line).
   test::ScriptedServer server("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n",
                               {"A1 OK [CAPABILITY IMAP4rev1] welcome\r\n",
                                "* LIST () \"/\" {4}\r\nq{0}\r\n* LIST () \"/\" INBOX\r\nA2 OK done\r\n",
                                "* BYE bye\r\nA3 OK done\r\n"});
   TestHost host;
   auto connected = host.run("Email.Connect", test::loopback_bag(server.port(), "IMAP", "alice", "pw")
                                                  .set("use_secure_connection", false)
                                                  .set("session_name", "Literal")
                                                  .str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   auto listed = host.run("Sibling.ListFolders", R"({"session_name":"Literal"})");
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   auto folders = test::folders_of(listed);
   CHECK(test::contains(folders, "q{0}"));
   CHECK(test::contains(folders, "INBOX"));
   host.sessions().clear();
}

}  // TEST_SUITE("imap")

TEST_SUITE("imap") {

TEST_CASE("only a tagged OK signs in to IMAP: another tagged answer is a protocol_error saying what came") {
   for (const char *answer : {"A1 MAYBE hello\r\n", "A1 PREAUTH hello\r\n"}) {
      CAPTURE(answer);
      test::ScriptedServer server("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n", {answer});
      TestHost host;
      auto outcome = host.run(
          "Email.Connect",
          test::loopback_bag(server.port(), "IMAP", "alice", "pw").set("use_secure_connection", false).str());
      CHECK(outcome.status == RPA_PROTOCOL_ERROR);
      CHECK(has(outcome.message, "neither a tagged OK nor a NO: hello"));
      CHECK(host.sessions().names().empty());
   }
}

}  // TEST_SUITE("imap")

TEST_SUITE("pop3") {

TEST_CASE("only +OK signs in to POP3: another answer to PASS is a protocol_error, not a wrong password") {
   for (const char *answer : {"+ go on\r\n", "OK fine\r\n"}) {
      CAPTURE(answer);
      test::ScriptedServer server("+OK hi\r\n", test::ScriptedServer::Responder([&](const std::string &line) {
                                     if (line == "CAPA") return std::string("+OK\r\nUSER\r\n.\r\n");
                                     if (line.rfind("USER ", 0) == 0) return std::string("+OK\r\n");
                                     if (line.rfind("PASS ", 0) == 0) return std::string(answer);
                                     return std::string("-ERR what\r\n");
                                  }));
      TestHost host;
      auto outcome = host.run(
          "Email.Connect",
          test::loopback_bag(server.port(), "POP3", "alice", "pw").set("use_secure_connection", false).str());
      INFO(outcome.message);
      CHECK(outcome.status == RPA_PROTOCOL_ERROR);
      CHECK_FALSE(has(outcome.message, "authentication failed"));
      CHECK(host.sessions().names().empty());
   }
}

}  // TEST_SUITE("pop3")
