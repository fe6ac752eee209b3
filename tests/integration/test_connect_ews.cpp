// Connect over EWS against the EWS peer (tests/peers/ews, Microsoft's documents to the letter)
// and the identity peer (oauth2-mock-server, Entra-shaped): Basic, the password grant,
// Authorize once then no password, app-only; the documented errors; the sibling plugin listing
// EWS folders.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "oauth_helpers.h"
#include "net/sockets.h"

using test::has;
using test::IdentityPeer;
using test::JsonBag;
using test::TestHost;
using test::WithTestDns;

namespace {

void check_no_oauth_secret_leaked(const TestHost &host, const rpa_host::ActionOutcome &outcome) {
   const IdentityPeer &identity = IdentityPeer::get();
   for (const std::string &secret : {identity.password("alice@contoso.test"), identity.app_secret(),
                                     identity.ews_password("alice@contoso.test")}) {
      CHECK_MESSAGE(!has(outcome.message, secret), "secret in the message");
      CHECK_MESSAGE(!has(outcome.result_json, secret), "secret in the result");
      for (const std::string &line : host.logs()) CHECK_MESSAGE(!has(line, secret), "secret in a log line");
   }
   for (const std::string &line : host.logs()) {
      CHECK_MESSAGE(!has(line, "Bearer ey"), "an access token in a log line");
      CHECK_MESSAGE(!has(line, "Basic "), "Basic credentials in a log line");
   }
}

}  // namespace

TEST_SUITE("ews") {

TEST_CASE("EWS with Basic authentication connects and keeps the server version") {
   TestHost host;
   auto connected = host.run("Email.Connect", test::ews_basic_bag("alice@contoso.test").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   rapidjson::Document result = test::result_of(connected);
   const auto &session = result["session"];
   CHECK(std::string(session["protocol"].GetString()) == "EWS");
   CHECK(std::string(session["server"].GetString()) == "localhost");
   CHECK(std::string(session["server_version"].GetString()) == "15.20.7452.31 (V2018_01_08)");
   CHECK(std::string(session["tls_version"].GetString()).rfind("TLSv1.", 0) == 0);
   CHECK(session["round_trips"].GetUint64() == 1);  // one GetFolder
   CHECK(result["warnings"].Size() == 0);           // not Exchange Online
   CHECK(std::string(session["login_method"].GetString()) == "Basic");
   CHECK(has(connected.message, "over EWS with TLSv1."));
   check_no_oauth_secret_leaked(host, connected);
}

TEST_CASE("EWS sends the RequestServerVersion the bag asks for") {
   TestHost host;
   JsonBag bag = test::ews_basic_bag("alice@contoso.test");
   auto connected = host.run("Email.Connect", bag.set("exchange_version", "Exchange2010_SP2").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(has(connected.result_json, "RequestServerVersion=Exchange2010_SP2"));
}

TEST_CASE("EWS with a wrong password says authentication failed with HTTP 401") {
   TestHost host;
   JsonBag bag = test::ews_basic_bag("alice@contoso.test");
   auto refused = host.run("Email.Connect", bag.set("password", "not the password").str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK(has(refused.message, "refused the username or password of \"alice@contoso.test\" (HTTP 401"));
   CHECK(host.sessions().names().empty());
}

TEST_CASE("the sibling plugin lists EWS folders as paths") {
   TestHost host;
   JsonBag bag = test::ews_basic_bag("alice@contoso.test");
   REQUIRE(host.run("Email.Connect", bag.set("session_name", "Exchange").str()).ok());
   auto listed = host.run("Sibling.ListFolders", R"({"session_name":"Exchange"})");
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   auto folders = test::folders_of(listed);
   CHECK(test::contains(folders, "Inbox"));
   CHECK(test::contains(folders, "Sent Items"));
   CHECK(test::contains(folders, "Inbox/Projects"));
   CHECK(test::contains(folders, "Inbox/Projects/日本語"));
   CHECK_FALSE(test::contains(folders, "Calendar"));  // not a mail folder
   CHECK(host.run("Email.Disconnect", R"({"session_name":"Exchange"})").ok());
}

TEST_CASE("ErrorServerBusy is retried after BackOffMilliseconds") {
   TestHost host;
   auto connected = host.run("Email.Connect", test::ews_basic_bag("busy@contoso.test").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("is busy (ErrorServerBusy); retrying in 300 ms as it asked"));
   CHECK(test::result_of(connected)["session"]["round_trips"].GetUint64() == 2);
}

TEST_CASE("a server that stays busy ends within timeout_seconds - throttled with when to retry") {
   TestHost host;
   JsonBag bag = test::ews_basic_bag("always-busy@contoso.test");
   auto busy = host.run("Email.Connect", bag.set("timeout_seconds", 6).str());
   // timeout_seconds is one deadline: it ends in a back-off that no longer fits (throttled, saying
   // when to retry), or in the request that was under way when it passed (which, depends on the
   // machine's speed).
   CHECK(((busy.status == RPA_THROTTLED && has(busy.message, "asked to wait 300 ms") &&
           has(busy.message, "retry after 300 ms")) ||
          (busy.status == RPA_TIMEOUT && has(busy.message, "did not answer within 6 seconds"))));
   CHECK(host.logged("is busy (ErrorServerBusy); retrying in 300 ms as it asked"));
}

TEST_CASE("ErrorAccessDenied is named as an authentication failure") {
   TestHost host;
   auto denied = host.run("Email.Connect", test::ews_basic_bag("denied@contoso.test").str());
   CHECK(denied.status == RPA_AUTHENTICATION_FAILED);
   CHECK(has(denied.message, "denied access to the mailbox (ErrorAccessDenied"));
}

TEST_CASE("EWS delegate access: mailbox names the shared mailbox in its folder ids and X-AnchorMailbox") {
   TestHost host;
   auto connected =
       host.run("Email.Connect",
                test::ews_basic_bag("alice@contoso.test").set("mailbox", "Shared@Contoso.test").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   auto info = test::session_of(connected);
   CHECK(std::string(info["user"].GetString()) == "alice@contoso.test");
   CHECK(std::string(info["mailbox"].GetString()) == "shared@contoso.test");
   auto listed = host.run("Sibling.ListFolders", "{}");
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   CHECK(test::contains(test::folders_of(listed), "Inbox/Orders"));  // the shared mailbox's folders
   auto messages = host.run("Sibling.ListMessages", R"({"folder":"Inbox/Orders"})");
   CHECK_MESSAGE(messages.ok(), messages.message);

   // carol has no rights on it: the server's ErrorAccessDenied, as an authentication failure.
   TestHost other;
   auto refused =
       other.run("Email.Connect",
                 test::ews_basic_bag("carol@contoso.test").set("mailbox", "shared@contoso.test").str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK(has(refused.message, "ErrorAccessDenied"));

   // App-only: the app impersonates the mailbox (not the user named in username).
   TestHost app;
   JsonBag bag = test::ews_oauth2_bag("alice@contoso.test");
   bag.set("auth_type", "oauth2_app")
       .set("client_id", IdentityPeer::get().app_client())
       .set("client_secret", IdentityPeer::get().app_secret())
       .set("mailbox", "shared@contoso.test");
   REQUIRE_MESSAGE(app.run("Email.Connect", bag.str()).ok(), "app-only with mailbox");
   CHECK(test::contains(test::folders_of(app.run("Sibling.ListFolders", "{}")), "Inbox/Orders"));
}

TEST_CASE("EWS turned off for the mailbox (HTTP 403) says so and names the move to Graph") {
   TestHost host;
   auto refused = host.run("Email.Connect", test::ews_basic_bag("legacy@contoso.test").str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK(has(refused.message, "refuses EWS for \"legacy@contoso.test\" (HTTP 403 Forbidden)"));
   CHECK(has(refused.message, "EWS is turned off for this mailbox, this application or the organization"));
   // The peer is not Exchange Online by name (localhost), so Graph is the fix only if it were.
   CHECK(has(refused.message, "If the mailbox is in Exchange Online, move this step to Microsoft Graph"));
   CHECK(has(refused.message, "register an app in Microsoft Entra ID"));
   CHECK(host.sessions().names().empty());
}

TEST_CASE("a SOAP fault is a protocol error with the fault string") {
   TestHost host;
   auto fault = host.run("Email.Connect", test::ews_basic_bag("fault@contoso.test").str());
   CHECK(fault.status == RPA_PROTOCOL_ERROR);
   CHECK(has(fault.message, "SOAP fault: ErrorInternalServerError: An internal server error occurred"));
}

TEST_CASE(
    "a GetFolder answer without the inbox is a protocol error saying what arrived - nothing is connected") {
   TestHost host;
   auto empty = host.run("Email.Connect", test::ews_basic_bag("no-folder@contoso.test").str());
   CHECK(empty.status == RPA_PROTOCOL_ERROR);
   CHECK(has(empty.message,
             "answered GetFolder for the inbox without the folder (no FolderId with an Id in its "
             "Folders)"));
   auto nothing = host.run("Email.Connect", test::ews_basic_bag("no-messages@contoso.test").str());
   CHECK(nothing.status == RPA_PROTOCOL_ERROR);
   CHECK(has(nothing.message, "answered GetFolder with no response message"));
   CHECK(host.sessions().names().empty());
}

TEST_CASE("an EWS URL that is not https is refused before anything is sent") {
   TestHost host;
   JsonBag bag = test::ews_basic_bag("alice@contoso.test");
   auto refused = host.run("Email.Connect", bag.set("ews_url", "http://localhost/EWS/Exchange.asmx").str());
   CHECK(refused.status == RPA_INVALID_PROPERTIES);
   CHECK(has(refused.message, "ews_url"));
}

TEST_CASE("an EWS redirect is reported with where it points and not followed with the password") {
   TestHost host;
   JsonBag bag = test::ews_basic_bag("alice@contoso.test");
   std::string url = test::DovecotPeer::get().value("PEER_EWS_URL");
   const std::string moved = url.substr(0, url.find("/EWS/")) + "/EWS/moved.asmx";
   auto redirected = host.run("Email.Connect", bag.set("ews_url", moved).str());
   CAPTURE(redirected.message);
   CHECK(redirected.status == RPA_PROTOCOL_ERROR);
   CHECK(has(redirected.message, "redirected the EWS request (HTTP 302) to \"" + url + "\"; set ews_url"));
}

TEST_CASE("EWS checks the certificate and says which check failed") {
   TestHost host;
   JsonBag bag = test::ews_basic_bag("alice@contoso.test");
   auto untrusted =
       host.run("Email.Connect", bag.set("ca_file", test::DovecotPeer::get().other_ca_file()).str());
   CHECK(untrusted.status == RPA_TLS_FAILED);
   CHECK(has(untrusted.message, "certificate"));
   // The peer's certificate names localhost only; 127.0.0.1 fails the host name check.
   std::string url = test::DovecotPeer::get().value("PEER_EWS_URL");
   url.replace(url.find("localhost"), 9, "127.0.0.1");
   JsonBag by_address = test::ews_basic_bag("alice@contoso.test");
   auto mismatch = host.run("Email.Connect", by_address.set("ews_url", url).str());
   CHECK(mismatch.status == RPA_TLS_FAILED);
   CHECK(has(mismatch.message, "127.0.0.1"));
}

TEST_CASE("EWS with the OAuth2 password grant") {
   TestHost host;
   JsonBag bag = test::ews_oauth2_bag("alice@contoso.test");
   auto connected = host.run("Email.Connect",
                             bag.set("password", IdentityPeer::get().password("alice@contoso.test")).str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(has(connected.result_json, "AUTH=OAuth2"));
   check_no_oauth_secret_leaked(host, connected);
}

TEST_CASE("Entra errors are named: MFA consent password client tenant") {
   TestHost host;
   const IdentityPeer &identity = IdentityPeer::get();
   struct Case {
      std::string user, password, field, value, expected;
   };
   const Case cases[] = {
       {"mfa@contoso.test", identity.password("mfa@contoso.test"), "", "",
        "requires multi-factor authentication for \"mfa@contoso.test\", which the password grant cannot "
        "pass. Press Authorize"},
       {"noconsent@contoso.test", identity.password("noconsent@contoso.test"), "", "",
        "ask an administrator to grant admin consent"},
       {"alice@contoso.test", "wrong password", "", "",
        "wrong username or password for \"alice@contoso.test\""},
       {"alice@contoso.test", identity.password("alice@contoso.test"), "client_id",
        "11111111-2222-3333-4444-555555555555",
        "client_id \"11111111-2222-3333-4444-555555555555\" names no application"},
       {"alice@contoso.test", identity.password("alice@contoso.test"), "tenant_id", "no-such-tenant.example",
        "tenant_id \"no-such-tenant.example\" is not a tenant known to"},
   };
   for (const Case &c : cases) {
      CAPTURE(c.expected);
      JsonBag bag = test::ews_oauth2_bag(c.user);
      bag.set("password", c.password);
      if (!c.field.empty()) bag.set(c.field, c.value);
      auto refused = host.run("Email.Connect", bag.str());
      CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
      CHECK(has(refused.message, c.expected));
      CHECK(has(refused.message, "AADSTS"));  // the identity platform's own code, for the admin
   }
   CHECK(host.sessions().names().empty());
}

TEST_CASE("OAuth2 without a password or a stored sign-in says to Authorize first") {
   TestHost host;
   auto refused = host.run("Email.Connect", test::ews_oauth2_bag("not-yet@contoso.test").str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK(has(refused.message,
             "\"not-yet@contoso.test\" has not authorized this bot yet and no password was given. Authorize "
             "first"));
}

TEST_CASE("Authorize once then connect with no password from any host sharing the vault") {
   const std::string path = test::unused_temp_path("rpa-test-shared-vault");
   // tenant_id as the tenant's domain: a grant of its own, whatever earlier tests in this process cached
   const std::string bag = test::ews_oauth2_bag("alice@contoso.test").set("tenant_id", "contoso.test").str();
   std::string first_refresh_token;
   {
      TestHost designer(true, path);  // the bot designer's machine
      auto authorized = designer.run("Email.Authorize", bag);
      REQUIRE_MESSAGE(authorized.ok(), authorized.message);
      REQUIRE(designer.browser().opened().size() == 1);
      const std::string url = designer.browser().opened()[0];
      CHECK(has(url, "/oauth2/v2.0/authorize?client_id="));
      CHECK(has(url, "code_challenge_method=S256"));
      CHECK(has(url, "redirect_uri=http%3A%2F%2Flocalhost%3A"));
      CHECK(has(url, "EWS.AccessAsUser.All%20offline_access"));
      CHECK(has(url, "login_hint=alice%40contoso.test"));
      REQUIRE(designer.browser().pages().size() == 1);
      CHECK(has(designer.browser().pages()[0], "You can close this window"));
      rapidjson::Document result = test::result_of(authorized);
      const std::string locker = result["vault"]["locker"].GetString();
      const std::string credential = result["vault"]["credential"].GetString();
      CHECK(locker == "rpa.email.oauth2");
      const rpa::SecretString *stored = designer.vault().find(locker, credential, "refresh_token");
      REQUIRE(stored != nullptr);
      first_refresh_token = std::string(stored->view());
      check_no_oauth_secret_leaked(designer, authorized);
   }
   {
      TestHost runner(true, path);  // a bot runner sharing the vault; the bag has no password
      auto connected = runner.run("Email.Connect", bag);
      REQUIRE_MESSAGE(connected.ok(), connected.message);
      CHECK(runner.browser().opened().empty());  // silent
      // The identity peer rotated the refresh token; the new one replaced it in the vault.
      bool rotated = false;
      for (const std::string &name : runner.vault().list())
         if (name.rfind("rpa.email.oauth2/", 0) == 0) {
            const std::string credential = name.substr(17, name.find('/', 17) - 17);
            const rpa::SecretString *now =
                runner.vault().find("rpa.email.oauth2", credential, "refresh_token");
            rotated = now && std::string(now->view()) != first_refresh_token;
         }
      CHECK(rotated);
      // A second connect reuses the access token: no new token request.
      JsonBag second = test::ews_oauth2_bag("alice@contoso.test");
      auto again = runner.run("Email.Connect",
                              second.set("tenant_id", "contoso.test").set("session_name", "Second").str());
      REQUIRE_MESSAGE(again.ok(), again.message);
      CHECK(runner.logged("OAuth2: reusing the access token of \"alice@contoso.test\""));
   }
   std::remove(path.c_str());
}

TEST_CASE("Authorize ignores a redirect whose state does not match and can be cancelled") {
   TestHost host;
   host.rewrite_redirects([](std::string target) {
      const std::size_t state = target.find("state=");
      REQUIRE(state != std::string::npos);
      return target.substr(0, state) + "state=forged" +
             target.substr(target.find('&', state) == std::string::npos ? target.size()
                                                                        : target.find('&', state));
   });
   rpa_host::ActionOutcome outcome;
   std::thread authorize(
       [&] { outcome = host.run("Email.Authorize", test::ews_oauth2_bag("alice@contoso.test").str()); });
   for (int i = 0; i < 200 && host.browser().pages().empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
   host.cancel();
   authorize.join();
   REQUIRE(host.browser().pages().size() == 1);
   CHECK(has(host.browser().pages()[0], "does not belong to the sign-in"));
   CHECK(outcome.status == RPA_CANCELLED);
   CHECK(host.logged("ignored a redirect whose state does not match"));
}

TEST_CASE("Authorize is not held up by a connection to the redirect port that sends nothing") {
   // A browser's speculative preconnect (or any local process) opens the port and stays silent;
   // the real redirect comes on a second connection and must still be served.
   TestHost host;
   int silent = -1;
   host.rewrite_redirects([&silent](std::string target) {
      const std::size_t at = target.find("localhost:");
      REQUIRE(at != std::string::npos);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(target.substr(at + 10))));
      silent = email::sockets::open_stream(AF_INET, false);
      REQUIRE(email::sockets::connect_start(silent, reinterpret_cast<sockaddr *>(&address), sizeof address) ==
              0);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let it be accepted first
      return target;
   });
   auto authorized = host.run(
       "Email.Authorize", test::ews_oauth2_bag("alice@contoso.test").set("tenant_id", "contoso.test").str());
   CHECK_MESSAGE(authorized.ok(), authorized.message);
   REQUIRE(host.browser().pages().size() == 1);
   CHECK(has(host.browser().pages()[0], "You can close this window"));
   email::sockets::close(silent);
}

TEST_CASE("Authorize is refused for app-only and for Basic") {
   TestHost host;
   JsonBag basic = test::ews_basic_bag("alice@contoso.test");
   CHECK(host.run("Email.Authorize", basic.str()).status == RPA_INVALID_PROPERTIES);
}

TEST_CASE(
    "an app without full_access_as_app (EWS) or Mail.ReadWrite (Graph) is told which permission to grant") {
   // The identity peer gives each app only the roles its admin granted (directory.json
   // app_roles); this one was granted nothing, so the services refuse it for real.
   TestHost host;
   const IdentityPeer &identity = IdentityPeer::get();
   JsonBag ews = test::ews_oauth2_bag("alice@contoso.test");
   ews.set("auth_type", "oauth2_app")
       .set("client_id", identity.unpermitted_client())
       .set("client_secret", identity.unpermitted_secret());
   auto refused = host.run("Email.Connect", ews.str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK(has(refused.message, "does not carry the permission EWS needs"));
   CHECK(has(refused.message, "application permission full_access_as_app"));
   CHECK_FALSE(host.logged("getting a fresh one"));  // a fresh token would lack it too
   auto graph = host.run("Email.Connect", test::graph_app_bag("alice@contoso.test")
                                              .set("client_id", identity.unpermitted_client())
                                              .set("client_secret", identity.unpermitted_secret())
                                              .str());
   CHECK(graph.status == RPA_AUTHENTICATION_FAILED);
   CHECK(has(graph.message, "Grant the app the application permission Mail.ReadWrite"));
   CHECK(has(graph.message, "ErrorAccessDenied"));
   CHECK(host.sessions().names().empty());
   test::check_no_secret_leaked(host, refused.message + graph.message, "");
}

TEST_CASE("EWS app-only with client credentials impersonates the mailbox") {
   TestHost host;
   const IdentityPeer &identity = IdentityPeer::get();
   host.vault().set("Apps", "EWS bot", "client_secret", rpa::SecretString(identity.app_secret()));
   JsonBag bag = test::ews_oauth2_bag("alice@contoso.test");
   bag.set("auth_type", "oauth2_app")
       .set("client_id", identity.app_client())
       .set("client_secret", JsonBag::credential("Apps", "EWS bot", "client_secret"));
   auto connected = host.run("Email.Connect", bag.str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(has(connected.result_json, "AUTH=OAuth2-AppOnly"));
   check_no_oauth_secret_leaked(host, connected);

   // The peer refuses app-only requests without ExchangeImpersonation and X-AnchorMailbox, so
   // listing folders proves both are sent on every request.
   auto listed = host.run("Sibling.ListFolders", "{}");
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   CHECK(test::contains(test::folders_of(listed), "Inbox/Projects"));

   JsonBag unknown = bag;
   auto missing = host.run(
       "Email.Connect", unknown.set("session_name", "Nobody").set("username", "nobody@contoso.test").str());
   CHECK(missing.status == RPA_INVALID_PROPERTIES);
   CHECK(has(missing.message, "has no mailbox \"nobody@contoso.test\" (ErrorNonExistentMailbox"));

   JsonBag wrong = bag;
   auto refused = host.run("Email.Connect",
                           wrong.set("session_name", "Wrong").set("client_secret", "not the secret").str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK(has(refused.message, "client_secret is wrong or expired"));
}

TEST_CASE("EWS app-only with a certificate credential instead of a secret") {
   TestHost host;
   JsonBag bag = test::ews_oauth2_bag("alice@contoso.test");
   bag.set("auth_type", "oauth2_app")
       .set("client_id", IdentityPeer::get().certificate_client())
       .set("client_certificate", test::DovecotPeer::get().value("PEER_APP_CREDENTIAL"));
   auto connected = host.run("Email.Connect", bag.str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(has(connected.result_json, "AUTH=OAuth2-AppOnly"));
   CHECK(test::contains(test::folders_of(host.run("Sibling.ListFolders", "{}")), "Inbox/Projects"));
}

}  // TEST_SUITE("ews")

TEST_SUITE("ews") {

// Autodiscover runs against the EWS peer's /autodiscover/autodiscover.xml, found through the DNS
// peer's SRV record (the domains' own hosts do not exist, so the first candidates are skipped).

TEST_CASE("Autodiscover finds EWS through the SRV record and caches the answer") {
   WithTestDns dns;
   TestHost host;
   JsonBag bag = test::ews_basic_bag("alice@contoso.test");
   bag.erase("ews_url").set("domain", "contoso.test");
   auto connected = host.run("Email.Connect", bag.str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   const std::string ews_url = test::DovecotPeer::get().value("PEER_EWS_URL");
   CHECK(host.logged("Autodiscover: EWS for alice@contoso.test is " + ews_url));
   CHECK(host.logged("Autodiscover: POST https://localhost:"));
   auto again = host.run("Email.Connect", bag.set("session_name", "Again").str());
   REQUIRE_MESSAGE(again.ok(), again.message);
   CHECK(host.logged("Autodiscover: cached EWS URL for alice@contoso.test"));
}

TEST_CASE("Autodiscover through a SOCKS5 proxy - SRV looked up here for socks5 - not for socks5h") {
   WithTestDns dns;
   TestHost host;
   const std::string socks = "socks5://" + test::DovecotPeer::get().value("PEER_SOCKS_PROXY");
   // erin: an address no other Autodiscover test asks for (answers are cached per address).
   JsonBag bag = test::ews_basic_bag("erin@contoso.test");
   bag.erase("ews_url").set("domain", "contoso.test").set("proxy", socks);
   auto connected = host.run("Email.Connect", bag.str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("Autodiscover: EWS for erin@contoso.test is " +
                     test::DovecotPeer::get().value("PEER_EWS_URL")));
   CHECK(host.logged("through the proxy " + socks));

   const std::string socks_h = "socks5h://" + test::DovecotPeer::get().value("PEER_SOCKS_PROXY");
   JsonBag hidden = test::ews_basic_bag("alice@contoso.test");
   hidden.erase("ews_url").set("domain", "nowhere.test").set("proxy", socks_h).set("session_name", "Hidden");
   auto failed = host.run("Email.Connect", hidden.str());
   CHECK(failed.status == RPA_CONNECTION_FAILED);
   CHECK_MESSAGE(has(failed.message, "_autodiscover._tcp.nowhere.test: not looked up (the proxy " + socks_h),
                 failed.message);
   // The names were left to the proxy (which cannot resolve them either), not dropped here.
   CHECK_MESSAGE(has(failed.message, "https://autodiscover.nowhere.test/autodiscover/autodiscover.xml: "),
                 failed.message);
}

TEST_CASE("Autodiscover follows redirectAddr from a Windows domain name") {
   WithTestDns dns;
   TestHost host;
   JsonBag bag = test::ews_bag("alice@redirect.test");
   bag.erase("ews_url")
       .set("domain", "CONTOSO")
       .set("password", IdentityPeer::get().ews_password("alice@contoso.test"));
   auto connected = host.run("Email.Connect", bag.str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("Autodiscover: alice@redirect.test is served as alice@contoso.test"));
}

TEST_CASE("Autodiscover follows redirectUrl and stops a redirection loop") {
   WithTestDns dns;
   TestHost host;
   const std::string password = IdentityPeer::get().ews_password("alice@contoso.test");
   JsonBag bag = test::ews_bag("alice@redirecturl.test");
   bag.erase("ews_url").set("domain", "redirecturl.test").set("password", password);
   auto connected = host.run("Email.Connect", bag.str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("Autodiscover: POST https://localhost:" +
                     std::to_string(test::DovecotPeer::get().port("PEER_EWS_PORT")) +
                     "/autodiscover/autodiscover.xml?hop=1 for alice@redirecturl.test"));

   JsonBag loop = test::ews_bag("alice@loop.test");
   loop.erase("ews_url").set("domain", "loop.test").set("password", password).set("session_name", "Loop");
   auto looped = host.run("Email.Connect", loop.str());
   CHECK(looped.status == RPA_CONNECTION_FAILED);
   CHECK(has(looped.message, "more than 10 redirections"));
}

TEST_CASE("EWS refuses a revoked token after one fresh try with the server's diagnostics") {
   TestHost host;
   JsonBag bag = test::ews_oauth2_bag("revoked");
   auto refused =
       host.run("Email.Connect", bag.set("password", IdentityPeer::get().password("revoked")).str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK(has(
       refused.message,
       "refused the OAuth2 access token of \"revoked\" (HTTP 401; The token has expired or is invalid.)"));
   CHECK(host.logged("EWS: the server refused the access token; getting a fresh one"));
}

TEST_CASE("Autodiscover that finds nothing says what it tried and to set ews_url") {
   WithTestDns dns;
   TestHost host;
   JsonBag bag = test::ews_basic_bag("alice@contoso.test");
   bag.erase("ews_url").set("domain", "nowhere.test");
   auto failed = host.run("Email.Connect", bag.str());
   CHECK(failed.status == RPA_CONNECTION_FAILED);
   CHECK(has(failed.message, "Autodiscover found no EWS endpoint for \"alice@contoso.test\""));
   CHECK(has(failed.message, "_autodiscover._tcp.nowhere.test: no SRV record"));
   CHECK(has(failed.message, "set ews_url"));
}

}  // TEST_SUITE("ews")

TEST_SUITE("ews") {

TEST_CASE("parallel connects after Authorize redeem the stored refresh token once") {
   const std::string path = test::unused_temp_path("rpa-test-parallel-vault");
   // carol: an account no other test signs in, so nothing is cached for it in this process
   JsonBag bag = test::ews_oauth2_bag("Carol@contoso.test");
   {
      TestHost designer(true, path);
      auto authorized = designer.run("Email.Authorize", bag.str());
      REQUIRE_MESSAGE(authorized.ok(), authorized.message);
   }
   TestHost runner(true, path);
   // The identity peer rotates refresh tokens and refuses a used one, so two sessions that both
   // redeemed it would see one of them fail.
   std::vector<rpa_host::ActionOutcome> outcomes(4);
   std::vector<std::thread> sessions;
   for (std::size_t i = 0; i < outcomes.size(); ++i)
      sessions.emplace_back([&, i] {
         JsonBag mine = bag;
         outcomes[i] = runner.run("Email.Connect", mine.set("session_name", "S" + std::to_string(i)).str());
      });
   for (std::thread &session : sessions) session.join();
   for (const auto &outcome : outcomes) CHECK_MESSAGE(outcome.ok(), outcome.message);
   int reused = 0;
   for (const std::string &line : runner.logs())
      if (has(line, "reusing the access token")) ++reused;
   CHECK(reused == 3);
   std::remove(path.c_str());
}

}  // TEST_SUITE("ews")

TEST_SUITE("ews") {

TEST_CASE("an EWS session through the session interface: noop - info - close - then closed") {
   TestHost host;
   REQUIRE(host.run("Email.Connect", test::ews_basic_bag("alice@contoso.test").str()).ok());
   const rpa_email_session *session = test::email_session_named(host, "Default");
   std::string text;
   rpa_text_sink sink = test::string_sink(text);
   CHECK(session->noop(session, host.services(), &sink) == RPA_OK);  // a second GetFolder
   text.clear();
   CHECK(session->info(session, &sink) == RPA_OK);
   CHECK(has(text, "\"protocol\":\"EWS\""));
   CHECK(has(text, "\"server_version\":\"15.20.7452.31 (V2018_01_08)\""));
   CHECK(has(text, "\"round_trips\":2"));
   CHECK(session->close(session, host.services(), &sink) == RPA_OK);
   text.clear();
   CHECK(session->noop(session, host.services(), &sink) == RPA_SESSION_NOT_FOUND);
   text.clear();
   CHECK(session->info(session, &sink) == RPA_OK);
   CHECK(has(text, "\"state\":\"closed\""));
   session->handle.release(&session->handle);
}

}  // TEST_SUITE("ews")

TEST_SUITE("ews") {
TEST_CASE("Authorize without a vault says so before any browser opens") {
   TestHost host(false);
   auto refused = host.run("Email.Authorize", test::ews_oauth2_bag("alice@contoso.test").str());
   CHECK(refused.status == RPA_UNSUPPORTED);
   CHECK(has(refused.message, "cannot store secrets there"));
   CHECK(host.browser().opened().empty());
}
}  // TEST_SUITE("ews")
