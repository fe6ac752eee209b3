// Every HTTP wait (the EWS request, the token endpoint, Autodiscover) against a server that
// misbehaves ends as timeout, cancelled or connection_failed, names the peer it waited for, and
// leaves the host alive: no abandoned request may throw, abort or touch freed memory later (the
// HostileServer's connections end after the outcome, when an abandoned task fails). Outcomes are
// asserted, never durations.
#include <chrono>
#include <thread>

#include "hostile_server.h"
#include "oauth_helpers.h"

using test::has;
using test::HostileServer;
using test::IdentityPeer;
using test::JsonBag;
using test::Misbehaviour;
using test::TestHost;
using test::WithTestDns;

namespace {

enum class Target { ews, token_endpoint, autodiscover };

// A bag whose `target` is the hostile server; everything else is the working test peers.
JsonBag bag_for(Target target, const HostileServer &server) {
   const std::string password = IdentityPeer::get().ews_password("alice@contoso.test");
   switch (target) {
   case Target::ews:
      return test::ews_basic_bag("alice@contoso.test").set("ews_url", server.url("/EWS/Exchange.asmx"));
   case Target::token_endpoint: {
      JsonBag bag = test::ews_oauth2_bag("alice@contoso.test");
      return bag.set("password", IdentityPeer::get().password("alice@contoso.test"))
          .set("authority", server.url(""));
   }
   case Target::autodiscover:
      return test::ews_bag("alice@hostile.test")
          .erase("ews_url")
          .set("domain", "hostile.test")
          .set("password", password);
   }
   return {};
}

// What the message must name: the URL (or host:port) of the peer that was waited for.
std::string peer_named(const HostileServer &server) { return "localhost:" + std::to_string(server.port()); }

void check_outcome(Target target, Misbehaviour misbehaviour, bool cancel) {
   CAPTURE(static_cast<int>(target));
   CAPTURE(test::to_string(misbehaviour));
   CAPTURE(cancel);
   WithTestDns dns;
   TestHost host;
   rpa_host::ActionOutcome outcome;
   std::string named;
   {
      const int port =
          target == Target::autodiscover ? test::DovecotPeer::get().port("PEER_HOSTILE_PORT") : 0;
      HostileServer server(misbehaviour, port);
      named = peer_named(server);
      JsonBag bag = bag_for(target, server);
      // Servers that fail fast get a long deadline, so a slow machine (sanitizers) cannot turn
      // their connection_failed into a timeout; the others get a short one.
      const bool fails_fast =
          misbehaviour == Misbehaviour::close_in_handshake || misbehaviour == Misbehaviour::reset;
      bag.set("timeout_seconds", cancel || fails_fast ? 600 : 2);
      std::thread canceller;
      if (cancel && !fails_fast)
         canceller = std::thread([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(700));
            host.cancel();
         });
      outcome = host.run("Email.Connect", bag.str());
      if (canceller.joinable()) canceller.join();
      if (outcome.status == RPA_CONNECTION_FAILED) CHECK(server.connections() > 0);
   }  // the server's connections end here: an abandoned request fails now, in the background
   const bool slow = misbehaviour == Misbehaviour::silent || misbehaviour == Misbehaviour::headers_then_stall;
   INFO(outcome.message);
   if (slow)  // cancelled or timed out; a fast failure ends before either
      CHECK(outcome.status == (cancel ? RPA_CANCELLED : RPA_TIMEOUT));
   else
      CHECK(outcome.status == RPA_CONNECTION_FAILED);
   CHECK(has(outcome.message, named));
   CHECK_FALSE(has(outcome.message, " :0"));
   CHECK_FALSE(has(outcome.message, "\":0"));
   CHECK(host.sessions().names().empty());

   // The host lives on: give abandoned work time to fail, then connect for real.
   std::this_thread::sleep_for(std::chrono::milliseconds(300));
   host.cancel(false);
   auto working = host.run("Email.Connect",
                           test::ews_basic_bag("alice@contoso.test").set("session_name", "After").str());
   CHECK_MESSAGE(working.ok(), working.message);
}

void check_all(Target target, Misbehaviour misbehaviour) {
   check_outcome(target, misbehaviour, false);
   check_outcome(target, misbehaviour, true);
}

}  // namespace

TEST_SUITE("timeout") {

TEST_CASE("EWS: a silent server") { check_all(Target::ews, Misbehaviour::silent); }
TEST_CASE("EWS: a server that closes in the TLS handshake") {
   check_all(Target::ews, Misbehaviour::close_in_handshake);
}
TEST_CASE("EWS: a server that sends headers and stops") {
   check_all(Target::ews, Misbehaviour::headers_then_stall);
}
TEST_CASE("EWS: a server that resets") { check_all(Target::ews, Misbehaviour::reset); }

TEST_CASE("token endpoint: a silent server") { check_all(Target::token_endpoint, Misbehaviour::silent); }
TEST_CASE("token endpoint: a server that closes in the TLS handshake") {
   check_all(Target::token_endpoint, Misbehaviour::close_in_handshake);
}
TEST_CASE("token endpoint: a server that sends headers and stops") {
   check_all(Target::token_endpoint, Misbehaviour::headers_then_stall);
}
TEST_CASE("token endpoint: a server that resets") { check_all(Target::token_endpoint, Misbehaviour::reset); }

// One case: the SRV record names one fixed port, so these may not run side by side.
TEST_CASE("Autodiscover: silent - closing - stalling and resetting servers") {
   for (Misbehaviour misbehaviour : {Misbehaviour::silent, Misbehaviour::close_in_handshake,
                                     Misbehaviour::headers_then_stall, Misbehaviour::reset})
      check_all(Target::autodiscover, misbehaviour);
}

}  // TEST_SUITE("timeout")
