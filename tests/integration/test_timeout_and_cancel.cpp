// Waiting on a server that never answers ends with timeout_seconds or the host's cancellation;
// unreachable servers fail with connection_failed. Tests assert the outcome, never durations.
#include <thread>

#include "connect_helpers.h"
#include "silent_server.h"

using test::JsonBag;
using test::TestHost;

namespace {
JsonBag silent_bag(int port) { return test::loopback_bag(port, "IMAP", "alice", "pw"); }
}  // namespace

TEST_SUITE("timeout") {

TEST_CASE("a server that accepts and never answers times out") {
   test::SilentServer server;
   for (const char *mode : {"implicit", "starttls"}) {
      CAPTURE(mode);
      TestHost host;
      auto outcome = host.run(
          "Email.Connect", silent_bag(server.port()).set("timeout_seconds", 1).set("tls_mode", mode).str());
      CHECK(outcome.status == RPA_TIMEOUT);
      CHECK(outcome.message.find("did not answer within 1 seconds (timeout_seconds)") != std::string::npos);
   }
}

TEST_CASE("the host's cancellation stops a wait") {
   test::SilentServer server;
   TestHost host;
   std::thread canceller([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      host.cancel();
   });
   auto outcome = host.run("Email.Connect", silent_bag(server.port()).set("timeout_seconds", 600).str());
   canceller.join();
   CHECK(outcome.status == RPA_CANCELLED);
   CHECK(outcome.message.find("cancelled") == 0);
}

TEST_CASE("nobody listening - or no such host: connection_failed") {
   TestHost host;
   int closed_port;
   {
      test::SilentServer server;
      closed_port = server.port();
   }
   auto refused = host.run("Email.Connect", silent_bag(closed_port).str());
   CHECK(refused.status == RPA_CONNECTION_FAILED);
   CHECK(refused.message.find("cannot connect to 127.0.0.1:") != std::string::npos);
   auto unknown = host.run("Email.Connect", silent_bag(993).set("host", "no-such-host.invalid").str());
   CHECK(unknown.status == RPA_CONNECTION_FAILED);
   CHECK(unknown.message.find("cannot find host \"no-such-host.invalid\"") != std::string::npos);
}

TEST_CASE("a server that is not IMAP is named as such") {
   test::ScriptedServer server("SSH-2.0-OpenSSH_9.2\r\n", {});
   TestHost host;
   auto outcome =
       host.run("Email.Connect", silent_bag(server.port()).set("use_secure_connection", false).str());
   CHECK(outcome.status == RPA_PROTOCOL_ERROR);
   CHECK(outcome.message.find("did not greet like an IMAP server") != std::string::npos);
}

}  // TEST_SUITE("timeout")
