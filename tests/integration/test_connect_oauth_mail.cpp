// IMAP and POP3 with OAuth2 against a real Dovecot whose oauth2 passdb checks every token by
// introspection at the identity peer: OAUTHBEARER (RFC 7628) where offered, XOAUTH2 otherwise,
// and a refused token that ends in authentication_failed without hanging.
#include <doctest/doctest.h>

#include <optional>

#include "imap/imap_client.h"
#include "oauth/token_client.h"
#include "oauth_helpers.h"
#include "pop3/pop3_client.h"
#include "rpa_common/base64.h"
#include "silent_server.h"

using test::has;
using test::IdentityPeer;
using test::JsonBag;
using test::TestHost;

namespace {

bool dovecot_logged(const std::string &instance, const std::string &fragment) {
   return has(test::DovecotPeer::get().log_of(instance), fragment);
}
}  // namespace

TEST_SUITE("oauth") {

TEST_CASE("IMAP signs in with OAUTHBEARER when the server offers it") {
   TestHost host;
   auto connected = host.run("Email.Connect", test::oauth2_mail_bag("IMAP", "OAUTH").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(dovecot_logged("oauth", "Login: user=<alice>, method=OAUTHBEARER"));
   CHECK(host.logged("IMAP C: A2 AUTHENTICATE OAUTHBEARER ****"));
   CHECK(has(connected.result_json, "\"login_method\":\"AUTHENTICATE OAUTHBEARER\""));
   auto listed = host.run("Sibling.ListFolders", "{}");
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   CHECK(has(listed.result_json, "Project X"));
   for (const std::string &line : host.logs()) {
      CHECK_MESSAGE(!has(line, IdentityPeer::get().password("alice")), "password in a log line");
      CHECK_MESSAGE(!has(line, "auth=Bearer"), "a token in a log line");
   }
}

TEST_CASE("OAuth2 with another mailbox: the SASL user is the shared mailbox (Exchange Online's rule)") {
   // A scripted TLS server in the manner of Exchange Online's IMAP: it records the XOAUTH2 message.
   std::string xoauth2;
   test::ScriptedServer server(
       "* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR] ready\r\n",
       test::ScriptedServer::Responder([&xoauth2](const std::string &line) -> std::string {
          const std::string tag = line.substr(0, line.find(' '));
          if (line.find(" AUTHENTICATE XOAUTH2 ") != std::string::npos) {
             xoauth2 = line.substr(line.rfind(' ') + 1);
             return tag + " OK [CAPABILITY IMAP4rev1] AUTHENTICATE completed\r\n";
          }
          return line.find(" LOGOUT") != std::string::npos ? "* BYE\r\n" + tag + " OK\r\n" : tag + " OK\r\n";
       }),
       true);
   TestHost host;
   JsonBag bag = test::oauth2_mail_bag("IMAP", "XOAUTH");
   auto connected = host.run("Email.Connect", bag.set("port", server.port())
                                                  .set("mailbox", "Shared@Contoso.test")
                                                  .set("session_name", "Shared")
                                                  .str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(std::string(test::session_of(connected)["mailbox"].GetString()) == "Shared@Contoso.test");
   host.sessions().clear();
   server.received();  // the script has ended
   const std::optional<rpa::SecretString> decoded = rpa::base64_decode(xoauth2);
   REQUIRE(decoded);
   CHECK(std::string(decoded->view())
             .rfind("user=Shared@Contoso.test\x01"
                    "auth=Bearer ",
                    0) == 0);
}

TEST_CASE("IMAP signs in with XOAUTH2 when that is all the server offers") {
   TestHost host;
   auto connected = host.run("Email.Connect", test::oauth2_mail_bag("IMAP", "XOAUTH").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(dovecot_logged("xoauth", "Login: user=<alice>, method=XOAUTH2"));
   CHECK(has(connected.result_json, "\"login_method\":\"AUTHENTICATE XOAUTH2\""));
}

TEST_CASE("POP3 signs in with OAUTHBEARER and with XOAUTH2") {
   TestHost host;
   auto bearer =
       host.run("Email.Connect", test::oauth2_mail_bag("POP3", "OAUTH").set("session_name", "A").str());
   REQUIRE_MESSAGE(bearer.ok(), bearer.message);
   CHECK(host.logged("POP3 C: AUTH OAUTHBEARER"));
   auto xoauth2 =
       host.run("Email.Connect", test::oauth2_mail_bag("POP3", "XOAUTH").set("session_name", "B").str());
   REQUIRE_MESSAGE(xoauth2.ok(), xoauth2.message);
   CHECK(host.logged("POP3 C: AUTH XOAUTH2"));
   CHECK(has(bearer.result_json, "\"login_method\":\"AUTH OAUTHBEARER\""));
   CHECK(has(xoauth2.result_json, "\"login_method\":\"AUTH XOAUTH2\""));
   CHECK(dovecot_logged("xoauth", "method=XOAUTH2"));
}

TEST_CASE("a refused token gets one fresh token then authentication_failed with the server's status") {
   for (const char *instance : {"OAUTH", "XOAUTH"}) {
      for (const char *protocol : {"IMAP", "POP3"}) {
         CAPTURE(instance);
         CAPTURE(protocol);
         TestHost host;
         // The identity peer issues tokens for "revoked" but introspection calls them inactive.
         auto refused = host.run("Email.Connect", test::oauth2_mail_bag(protocol, instance, "revoked").str());
         CAPTURE(refused.message);
         CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
         CHECK(has(refused.message, "rejected the OAuth2 access token for \"revoked\""));
         CHECK(has(refused.message, "error status {\"status\":"));  // the JSON continuation
         CHECK(host.logged("the server refused the access token; getting a fresh one"));
      }
   }
}

TEST_CASE("the password grant's MFA error reaches IMAP users too") {
   TestHost host;
   JsonBag bag = test::oauth2_mail_bag("IMAP", "OAUTH");
   bag.set("username", "mfa@contoso.test").set("password", IdentityPeer::get().password("mfa@contoso.test"));
   auto refused = host.run("Email.Connect", bag.str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK(has(refused.message, "multi-factor"));
}

TEST_CASE("a server without OAuth2 mechanisms says so and gets no token") {
   TestHost host;
   JsonBag bag = test::oauth2_mail_bag("IMAP", "OAUTH");
   bag.set("port", test::DovecotPeer::get().port("PEER_IMAPS_PORT"));  // the password-only instance
   auto refused = host.run("Email.Connect", bag.str());
   CHECK(refused.status == RPA_UNSUPPORTED);
   CHECK(has(refused.message, "does not offer OAuth2 sign-in"));
}

TEST_CASE("Google as the provider needs a client_secret") {
   TestHost host;
   JsonBag bag = test::oauth2_mail_bag("IMAP", "OAUTH");
   auto refused = host.run("Email.Connect", bag.set("oauth_provider", "google").str());
   CHECK(refused.status == RPA_INVALID_PROPERTIES);
   CHECK(has(refused.message, "client_secret is required when oauth_provider is \"google\""));
}

TEST_CASE("an IMAP token is refused by POP3 and a POP3 token by IMAP: Dovecot checks audience and scope") {
   // Exchange Online refuses a token whose scope is another protocol's; the Dovecot peer's oauth2
   // passdb (one per protocol) does the same. The plugin never mixes them; this drives the clients
   // with tokens the test asked for itself.
   const test::DovecotPeer &peer = test::DovecotPeer::get();
   const IdentityPeer &identity = IdentityPeer::get();
   const email::HostServices host(nullptr);
   auto token_for = [&](const char *service, const char *resource = "https://outlook.office365.com") {
      email::OAuthSettings settings;
      settings.authority = peer.value("PEER_AUTHORITY");
      settings.tenant = identity.tenant();
      settings.client_id = identity.public_client();
      settings.username = "alice";
      settings.password = email::SecretString(identity.password("alice"));
      settings.scope = email::microsoft_scope(email::OAuthFlow::delegated, resource, service);
      settings.tls.ca_file = peer.ca_file();
      email::HttpsClient http(settings.tls);
      email::CallContext context(host, std::chrono::seconds(20), "the token endpoint");
      return email::request_token(http, settings, email::GrantInput(email::TokenGrant::password), context)
          .value;
   };
   auto sign_in = [&](const std::string &protocol, const email::SecretString &token) -> std::string {
      email::ServerEndpoint endpoint;
      endpoint.host = "localhost";
      endpoint.port = static_cast<std::uint16_t>(
          peer.port(protocol == "IMAP" ? "PEER_OAUTH_IMAPS_PORT" : "PEER_OAUTH_POP3S_PORT"));
      endpoint.tls = email::TlsPolicy::implicit;
      endpoint.tls_settings.ca_file = peer.ca_file();
      endpoint.timeout = std::chrono::seconds(20);
      email::CallContext context(host, endpoint.timeout, endpoint.label());
      try {
         if (protocol == "IMAP")
            email::ImapClient::open(endpoint, "alice", token, context, email::SecretKind::oauth2_token);
         else
            email::Pop3Client::open(endpoint, "alice", token, context, email::SecretKind::oauth2_token);
         return "signed in";
      } catch (const email::Failure &failure) {
         return rpa_status_name(failure.status());
      }
   };
   const email::SecretString imap = token_for("IMAP"), pop = token_for("POP"), ews = token_for("EWS");
   CHECK(sign_in("IMAP", imap) == "signed in");
   CHECK(sign_in("POP3", pop) == "signed in");
   CHECK(sign_in("POP3", imap) == std::string("authentication_failed"));
   CHECK(sign_in("IMAP", pop) == std::string("authentication_failed"));
   CHECK(sign_in("IMAP", ews) == std::string("authentication_failed"));  // EWS's scope
   // The right scope for another audience (Graph's origin): refused for the audience.
   CHECK(sign_in("IMAP", token_for("IMAP", "https://graph.microsoft.com")) ==
         std::string("authentication_failed"));
   CHECK(dovecot_logged("oauth", "(user disabled): user=<alice>, method=OAUTHBEARER"));  // its word for it
}

}  // TEST_SUITE("oauth")
