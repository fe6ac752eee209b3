// Property resolution: defaults, ports and TLS policy, and credentials read through the real
// host's vault service.
#include <doctest/doctest.h>

#include "embedded_schemas.h"
#include "json_bag.h"
#include "properties/connect_request.h"
#include "test_host.h"
#include "util/failure.h"

using email::ConnectRequest;
using email::TlsPolicy;
using test::JsonBag;

namespace {

const email::ActionSchema &schema() {
   static email::ActionSchema connect(email::embedded::connect_schema);
   return connect;
}

ConnectRequest resolve(const std::string &json, test::TestHost &host) {
   email::SecretDocument bag;
   email::parse_property_bag(json.data(), json.size(), bag);
   email::require_valid(schema(), bag);
   email::HostServices services(host.services());
   return email::resolve_connect_request(schema(), bag, services);
}

JsonBag imap() {
   JsonBag bag;
   bag.set("connection", "email_server")
       .set("host", "IMAP.Example.COM")
       .set("username", "alice")
       .set("password", "pw")
       .set("protocol", "IMAP");
   return bag;
}

email::Failure failure_of(const std::string &json, test::TestHost &host) {
   try {
      resolve(json, host);
   } catch (const email::Failure &failure) {
      return failure;
   }
   FAIL("resolution succeeded");
   return email::Failure(RPA_OK, "");
}

}  // namespace

namespace {
// The mail server target's endpoint (host, port, TLS policy, trust, timeout).
email::ServerEndpoint endpoint_of(const email::ConnectRequest &request) {
   REQUIRE(request.mail_server());
   email::HostServices host(nullptr);
   email::CallContext context(host, request.timeout, "test");
   return request.endpoint(*request.mail_server(), context);
}
}  // namespace

TEST_SUITE("properties") {

TEST_CASE("defaults: session Default - implicit TLS on 993 - 30 second timeout - lower-case host") {
   test::TestHost host;
   ConnectRequest request = resolve(imap().str(), host);
   CHECK(request.session_name == "Default");
   CHECK(endpoint_of(request).host == "imap.example.com");
   CHECK(endpoint_of(request).port == 993);
   CHECK(endpoint_of(request).tls == TlsPolicy::implicit);
   CHECK(endpoint_of(request).timeout == std::chrono::seconds(30));
   CHECK(endpoint_of(request).tls_settings.ca_file.empty());
   CHECK(request.username == "alice");
   CHECK(request.password.view() == "pw");
}

TEST_CASE("ports and TLS policy follow protocol - use_secure_connection and tls_mode") {
   test::TestHost host;
   struct Case {
      JsonBag bag;
      int port;
      TlsPolicy tls;
   };
   const Case cases[] = {
       {imap().set("protocol", "POP3"), 995, TlsPolicy::implicit},
       {imap().set("use_secure_connection", false), 143, TlsPolicy::starttls_if_offered},
       {imap().set("protocol", "POP3").set("use_secure_connection", false), 110,
        TlsPolicy::starttls_if_offered},
       {imap().set("tls_mode", "starttls"), 143, TlsPolicy::starttls_required},
       {imap().set("port", 1143), 1143, TlsPolicy::starttls_required},
       {imap().set("port", 993).set("use_secure_connection", false), 993, TlsPolicy::implicit},
       {imap().set("port", 24102).set("tls_mode", "implicit"), 24102, TlsPolicy::implicit},
       {imap().set("tls_mode", "implicit").set("use_secure_connection", false), 993, TlsPolicy::implicit},
       {imap().set("tls_mode", "starttls").set("use_secure_connection", false), 143,
        TlsPolicy::starttls_required},
       {imap().set("protocol", "POP3").set("port", 995).set("tls_mode", "starttls"), 995,
        TlsPolicy::starttls_required},
   };
   for (const Case &c : cases) {
      CAPTURE(c.bag.str());
      ConnectRequest request = resolve(c.bag.str(), host);
      CHECK(endpoint_of(request).port == c.port);
      CHECK(endpoint_of(request).tls == c.tls);
   }
}

TEST_CASE("credentials are read from the vault through the host service") {
   test::TestHost host;
   host.vault().set("Mail", "alice", "username", rpa::SecretString("alice@example.com"));
   host.vault().set("Mail", "alice", "password", rpa::SecretString("vault secret"));
   ConnectRequest request = resolve(imap()
                                        .set("username", JsonBag::credential("Mail", "alice", "username"))
                                        .set("password", JsonBag::credential("Mail", "alice", "password"))
                                        .str(),
                                    host);
   CHECK(request.username == "alice@example.com");
   CHECK(request.password.view() == "vault secret");
}

TEST_CASE("a long secret is fetched in full (the buffer grows once)") {
   test::TestHost host;
   const std::string long_secret(5000, 'k');
   host.vault().set("L", "C", "password", rpa::SecretString(long_secret));
   ConnectRequest request =
       resolve(imap().set("password", JsonBag::credential("L", "C", "password")).str(), host);
   CHECK(request.password.view() == long_secret);
}

TEST_CASE("a missing credential names the reference - never a value") {
   test::TestHost host;
   host.vault().set("Mail", "alice", "password", rpa::SecretString("vault secret"));
   email::Failure failure =
       failure_of(imap().set("password", JsonBag::credential("Mail", "alice", "pasword")).str(), host);
   CHECK(failure.status() == RPA_CREDENTIAL_NOT_FOUND);
   const std::string message = failure.what();
   CHECK(message.find("password: ") == 0);
   CHECK(message.find("locker \"Mail\", credential \"alice\", attribute \"pasword\"") != std::string::npos);
   CHECK(message.find("vault secret") == std::string::npos);
   CHECK(failure_of(imap().set("username", JsonBag::credential("Nope", "x", "y")).str(), host).status() ==
         RPA_CREDENTIAL_NOT_FOUND);
}

TEST_CASE("a credential reference without a vault says the host has none") {
   test::TestHost host(/*with_vault=*/false);
   email::Failure failure =
       failure_of(imap().set("password", JsonBag::credential("L", "C", "A")).str(), host);
   CHECK(failure.status() == RPA_UNSUPPORTED);
   CHECK(std::string(failure.what()).find("no Credential Vault") != std::string::npos);
}

TEST_CASE("invalid bags and non-JSON are invalid_properties") {
   test::TestHost host;
   CHECK(failure_of("{not json", host).status() == RPA_INVALID_PROPERTIES);
   email::Failure failure = failure_of(imap().set("port", 0).erase("host").str(), host);
   CHECK(failure.status() == RPA_INVALID_PROPERTIES);
   CHECK(std::string(failure.what()) ==
         "invalid properties: host is required when connection is \"email_server\"; port must be between 1 "
         "and 65535");
}

}  // TEST_SUITE("properties")

TEST_SUITE("properties") {
TEST_CASE("a bag that is not valid UTF-8 is refused") {
   test::TestHost host;
   email::Failure failure = failure_of("{\"connection\":\"email_server\",\"host\":\"\xff\xfe\"}", host);
   CHECK(failure.status() == RPA_INVALID_PROPERTIES);
   CHECK(std::string(failure.what()).find("not valid JSON") != std::string::npos);
}
}  // TEST_SUITE("properties")

TEST_SUITE("properties") {

TEST_CASE("OAuth2 fields resolve with defaults and a client secret from the vault") {
   test::TestHost host;
   host.vault().set("Apps", "Mail robot", "secret", rpa::SecretString("s3cret"));
   JsonBag bag = imap();
   bag.erase("password")
       .set("auth_type", "oauth2_app")
       .set("client_id", "app")
       .set("tenant_id", "contoso.com")
       .set("client_secret", JsonBag::credential("Apps", "Mail robot", "secret"))
       .set("authority", "https://login.microsoftonline.us/");
   ConnectRequest request = resolve(bag.str(), host);
   REQUIRE(request.oauth);
   CHECK(request.auth == email::AuthKind::oauth2_app);
   CHECK(request.oauth->flow == email::OAuthFlow::app_only);
   CHECK(request.oauth->provider == email::OAuthProvider::microsoft);
   CHECK(request.oauth->authority == "https://login.microsoftonline.us");  // trailing slash dropped
   CHECK(request.oauth->tenant == "contoso.com");
   CHECK(request.oauth->client_secret.view() == "s3cret");
   CHECK(request.oauth->username == "alice");
   CHECK(request.password.empty());
}

TEST_CASE("IMAP OAuth2 without tenant_id uses organizations and the default authority") {
   test::TestHost host;
   JsonBag bag = imap();
   bag.set("auth_type", "oauth2").set("client_id", "app");
   ConnectRequest request = resolve(bag.str(), host);
   REQUIRE(request.oauth);
   CHECK(request.oauth->tenant == "organizations");
   CHECK(request.oauth->authority == "https://login.microsoftonline.com");
   CHECK(request.oauth->password.view() == "pw");  // for the password grant
}

TEST_CASE("EWS fields resolve: domain lower-cased and exchange_version defaulted") {
   test::TestHost host;
   JsonBag bag;
   bag.set("connection", "ews")
       .set("username", "john@contoso.com")
       .set("password", "pw")
       .set("domain", "Contoso.COM");
   ConnectRequest request = resolve(bag.str(), host);
   CHECK(request.connection() == email::ConnectionKind::ews);
   REQUIRE(request.ews());
   CHECK(request.ews()->domain == "contoso.com");
   CHECK(request.ews()->exchange_version == "Exchange2013_SP1");
   CHECK(request.ews()->ews_url.empty());
   CHECK_FALSE(request.oauth);
}

TEST_CASE("Google app-only is unsupported and Google without a secret names client_secret") {
   test::TestHost host;
   JsonBag bag = imap();
   bag.set("auth_type", "oauth2").set("client_id", "app").set("oauth_provider", "google");
   email::Failure failure = failure_of(bag.str(), host);
   CHECK(failure.status() == RPA_INVALID_PROPERTIES);
   CHECK(std::string(failure.what()).find("client_secret is required") != std::string::npos);
}

}  // TEST_SUITE("properties")

TEST_CASE(
    "microsoft365: the cloud names the sign-in authority and the Graph endpoint - graph_url and authority "
    "override") {
   test::TestHost host;
   JsonBag bag;
   bag.set("connection", "microsoft365")
       .set("username", "robot@contoso.com")
       .set("auth_type", "oauth2")
       .set("client_id", "app")
       .set("tenant_id", "contoso.com")
       .set("mailbox", "Sales@Contoso.com");
   ConnectRequest global = resolve(bag.str(), host);
   REQUIRE(global.graph());
   CHECK(global.graph()->graph_url == "https://graph.microsoft.com");
   CHECK(global.graph()->mailbox == "sales@contoso.com");
   CHECK(global.oauth->authority == "https://login.microsoftonline.com");
   ConnectRequest gcc_high = resolve(bag.set("cloud", "usgov").str(), host);
   CHECK(gcc_high.graph()->graph_url == "https://graph.microsoft.us");
   CHECK(gcc_high.graph()->resource == "https://graph.microsoft.us");
   CHECK(gcc_high.oauth->authority == "https://login.microsoftonline.us");
   CHECK(resolve(bag.set("cloud", "usgov_dod").str(), host).graph()->graph_url ==
         "https://dod-graph.microsoft.us");
   ConnectRequest china = resolve(bag.set("cloud", "china").str(), host);
   CHECK(china.graph()->graph_url == "https://microsoftgraph.chinacloudapi.cn");
   CHECK(china.oauth->authority == "https://login.chinacloudapi.cn");
   ConnectRequest explicit_urls = resolve(
       bag.set("graph_url", "https://graph.test/").set("authority", "https://login.test").str(), host);
   CHECK(explicit_urls.graph()->graph_url == "https://graph.test");
   CHECK(explicit_urls.graph()->resource ==
         "https://microsoftgraph.chinacloudapi.cn");  // the token audience stays
   CHECK(explicit_urls.oauth->authority == "https://login.test");
   CHECK(email::graph_scope(email::OAuthFlow::delegated, "https://graph.microsoft.com", true) ==
         "https://graph.microsoft.com/Mail.ReadWrite https://graph.microsoft.com/Mail.Send "
         "https://graph.microsoft.com/Mail.ReadWrite.Shared https://graph.microsoft.com/Mail.Send.Shared "
         "offline_access");
   CHECK(email::graph_scope(email::OAuthFlow::app_only, "https://graph.microsoft.us", false) ==
         "https://graph.microsoft.us/.default");
}

TEST_CASE("mailbox: an Outlook store's name may have spaces; an address or login name may not") {
   test::TestHost host;
   JsonBag outlook;
   outlook.set("connection", "outlook").set("mailbox", "Online Archive - alice@contoso.com");
   const ConnectRequest archive = resolve(outlook.str(), host);
   CHECK(archive.target_as<email::OutlookTarget>().mailbox == "Online Archive - alice@contoso.com");
   for (const char *edge : {" Archive", "Archive ", "Arch\tive"}) {
      email::Failure failure = failure_of(outlook.set("mailbox", edge).str(), host);
      CHECK_MESSAGE(failure.status() == RPA_INVALID_PROPERTIES, edge);
      CHECK(std::string(failure.what()).find("mailbox") != std::string::npos);
   }
   email::Failure spaced = failure_of(imap().set("mailbox", "sales team").str(), host);
   CHECK(spaced.status() == RPA_INVALID_PROPERTIES);
   CHECK(std::string(spaced.what()).find("mailbox must be the mailbox's e-mail address") !=
         std::string::npos);
   JsonBag graph;
   graph.set("connection", "microsoft365")
       .set("username", "robot@contoso.com")
       .set("auth_type", "oauth2")
       .set("client_id", "app")
       .set("tenant_id", "contoso.com")
       .set("mailbox", "sales/x@contoso.com");
   CHECK(failure_of(graph.str(), host).status() == RPA_INVALID_PROPERTIES);
   CHECK(resolve(imap().set("mailbox", "sales@contoso.com").str(), host).mail_server()->mailbox ==
         "sales@contoso.com");
}
