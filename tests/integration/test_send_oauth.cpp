// Sending with OAuth2 over SMTP against the real submission Dovecot, whose oauth2 passdb checks
// every token by introspection at the identity peer (tests/peers/smtp/smtp-peer.sh): Exchange
// Online's audience and SMTP.Send in the scope, as Exchange Online's SMTP AUTH requires. One token
// serves IMAP and SMTP: Connect asks for both scopes at once (line/mail_server_backend.cpp).
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <rpa_common/random_hex.h>

#include <chrono>
#include <thread>

#include "oauth/token_client.h"
#include "oauth_helpers.h"
#include "smtp/smtp_client.h"

using test::has;
using test::IdentityPeer;
using test::JsonBag;
using test::RawJson;
using test::TestHost;
using test::run_ok;
using test::smtp_peer_available;

namespace {

std::string submission_log() { return test::DovecotPeer::get().log_of("smtp/dovecot"); }

}  // namespace

TEST_SUITE("oauth") {

TEST_CASE(
    "send over SMTP with OAuth2: one token for IMAP and SMTP - AUTH OAUTHBEARER at submission - "
    "the message arrives") {
   if (!smtp_peer_available()) return;
   const test::DovecotPeer &peer = test::DovecotPeer::get();
   TestHost host;
   JsonBag bag = test::oauth2_mail_bag("IMAP", "OAUTH");
   bag.set("smtp_host", "localhost")
       .set("smtp_port", peer.port("PEER_SUBMISSION_PORT"))
       .set("smtp_tls_mode", "starttls");
   auto connected = host.run("Email.Connect", bag.str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK_MESSAGE(has(connected.message, "(AUTH OAUTHBEARER)"), connected.message);
   CHECK(has(submission_log(), "Login: user=<alice>, method=OAUTHBEARER"));

   const std::string token = "send-oauth-" + rpa::random_hex(6);
   JsonBag send;
   send.set("message", RawJson{"{\"from\":\"alice@example.com\",\"to\":\"alice@example.com\",\"subject\":\"" +
                               token + "\",\"text\":\"sent with a token\",\"save_copy\":\"never\"}"});
   rapidjson::Document sent = run_ok(host, "Sibling.Send", send);
   CHECK(sent["accepted"].Size() == 1);
   const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
   unsigned arrived = 0;
   while (arrived == 0 && std::chrono::steady_clock::now() < deadline) {
      JsonBag list;
      list.set("folder", "inbox").set("subject_contains", token);
      arrived = run_ok(host, "Sibling.ListMessages", list)["messages"].Size();
      if (arrived == 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
   }
   CHECK_MESSAGE(arrived == 1, "the message sent with the token arrived in alice's INBOX");
   for (const std::string &line : host.logs()) {
      CHECK_MESSAGE(!has(line, IdentityPeer::get().password("alice")), "password in a log line");
      CHECK_MESSAGE(!has(line, "auth=Bearer"), "a token in a log line");
   }
}

TEST_CASE("SMTP refuses a token without SMTP.Send: an IMAP-only token is authentication_failed naming SMTP") {
   if (!smtp_peer_available()) return;
   const test::DovecotPeer &peer = test::DovecotPeer::get();
   const IdentityPeer &identity = IdentityPeer::get();
   const email::HostServices host(nullptr);
   auto token_for = [&](const std::string &scope) {
      email::OAuthSettings settings;
      settings.authority = peer.value("PEER_AUTHORITY");
      settings.tenant = identity.tenant();
      settings.client_id = identity.public_client();
      settings.username = "alice";
      settings.password = email::SecretString(identity.password("alice"));
      settings.scope = scope;
      settings.tls.ca_file = peer.ca_file();
      email::HttpsClient http(settings.tls);
      email::CallContext context(host, std::chrono::seconds(20), "the token endpoint");
      return email::request_token(http, settings, email::GrantInput(email::TokenGrant::password), context)
          .value;
   };
   auto sign_in = [&](const email::SecretString &token) -> std::string {
      email::ServerEndpoint endpoint;
      endpoint.host = "localhost";
      endpoint.port = static_cast<std::uint16_t>(peer.port("PEER_SUBMISSION_PORT"));
      endpoint.tls = email::TlsPolicy::starttls_required;
      endpoint.tls_settings.ca_file = peer.ca_file();
      endpoint.timeout = std::chrono::seconds(20);
      email::CallContext context(host, endpoint.timeout, endpoint.label());
      try {
         email::SmtpClient::open(endpoint, "alice", token, email::SecretKind::oauth2_token, context);
         return "signed in";
      } catch (const email::Failure &failure) {
         return std::string(rpa_status_name(failure.status())) + ": " + failure.what();
      }
   };
   CHECK(sign_in(token_for("https://outlook.office365.com/SMTP.Send offline_access")) == "signed in");
   const std::string refused = sign_in(token_for("https://outlook.office365.com/IMAP.AccessAsUser.All"));
   CHECK_MESSAGE(refused.rfind("authentication_failed: ", 0) == 0, refused);
   CHECK_MESSAGE(has(refused, "SMTP"), refused);
}

}  // TEST_SUITE("oauth")
