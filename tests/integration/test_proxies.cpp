// Connect through the proxies of a corporate network: real tinyproxy (HTTP CONNECT, with and
// without BasicAuth) and microsocks (SOCKS5, with and without a user) that the fixture starts on
// loopback, in front of the real Dovecot. TLS stays end to end: the certificate is checked for
// "localhost" through the tunnel.
#include <cstdlib>

#include "connect_helpers.h"
#include "http/https_client.h"
#include "oauth_helpers.h"

using test::DovecotPeer;
using test::JsonBag;
using test::ScopedEnvironment;
using test::TestHost;

namespace {

std::string proxy_password(const std::string &user) { return DovecotPeer::get().password(user); }

void check_no_proxy_secret(const TestHost &host, const rpa_host::ActionOutcome &outcome) {
   for (const std::string user : {"proxyuser", "sockuser"}) {
      const std::string secret = proxy_password(user);
      CHECK_MESSAGE(!test::has(outcome.message, secret), "proxy password in the message");
      CHECK_MESSAGE(!test::has(outcome.result_json, secret), "proxy password in the result");
      for (const std::string &line : host.logs())
         CHECK_MESSAGE(!test::has(line, secret), "proxy password in a log line");
   }
}

}  // namespace

TEST_SUITE("proxy") {

TEST_CASE("IMAP and POP3 through HTTP CONNECT - with the proxy's BasicAuth from the vault") {
   const DovecotPeer &peer = DovecotPeer::get();
   for (const std::string protocol : {"IMAP", "POP3"}) {
      CAPTURE(protocol);
      TestHost host;
      const std::string port = protocol == "IMAP" ? "PEER_IMAPS_PORT" : "PEER_POP3S_PORT";
      auto plain = host.run("Email.Connect", test::peer_bag(protocol, port)
                                                 .set("session_name", "Plain")
                                                 .set("proxy", peer.value("PEER_HTTP_PROXY"))
                                                 .str());
      REQUIRE_MESSAGE(plain.ok(), plain.message);
      CHECK(host.logged("through the proxy " + peer.value("PEER_HTTP_PROXY")));
      CHECK(std::string(test::session_of(plain)["tls_version"].GetString()).rfind("TLSv1.", 0) == 0);

      host.vault().set("Proxies", "office", "password", rpa::SecretString(proxy_password("proxyuser")));
      auto with_auth = host.run(
          "Email.Connect", test::peer_bag(protocol, port)
                               .set("session_name", "Auth")
                               .set("proxy", peer.value("PEER_HTTP_PROXY_AUTH"))
                               .set("proxy_username", "proxyuser")
                               .set("proxy_password", JsonBag::credential("Proxies", "office", "password"))
                               .str());
      REQUIRE_MESSAGE(with_auth.ok(), with_auth.message);
      CHECK(host.run("Sibling.ListFolders", R"({"session_name":"Auth"})").ok());
      check_no_proxy_secret(host, with_auth);
   }
}

TEST_CASE("IMAP through SOCKS5 - names resolved here (socks5) and by the proxy with a user (socks5h)") {
   const DovecotPeer &peer = DovecotPeer::get();
   TestHost host;
   auto socks = host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT")
                                              .set("session_name", "Socks")
                                              .set("proxy", "socks5://" + peer.value("PEER_SOCKS_PROXY"))
                                              .str());
   REQUIRE_MESSAGE(socks.ok(), socks.message);
   auto socks_h =
       host.run("Email.Connect", test::peer_bag("POP3", "PEER_POP3S_PORT")
                                     .set("session_name", "Socks h")
                                     .set("proxy", "socks5h://" + peer.value("PEER_SOCKS_PROXY_AUTH"))
                                     .set("proxy_username", "sockuser")
                                     .set("proxy_password", proxy_password("sockuser"))
                                     .str());
   REQUIRE_MESSAGE(socks_h.ok(), socks_h.message);
   CHECK(host.logged("through the proxy socks5h://" + peer.value("PEER_SOCKS_PROXY_AUTH")));
   check_no_proxy_secret(host, socks_h);
}

TEST_CASE("Proxy errors name the proxy: wrong or missing credentials - a proxy that is down - a bad URL") {
   const DovecotPeer &peer = DovecotPeer::get();
   TestHost host;
   auto wrong_http = host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT")
                                                   .set("proxy", peer.value("PEER_HTTP_PROXY_AUTH"))
                                                   .set("proxy_username", "proxyuser")
                                                   .set("proxy_password", "Not-The-Proxy-Password")
                                                   .str());
   CHECK(wrong_http.status == RPA_AUTHENTICATION_FAILED);
   CHECK(test::has(wrong_http.message, "the proxy " + peer.value("PEER_HTTP_PROXY_AUTH") +
                                           " refused proxy_username and proxy_password ("));
   CHECK_FALSE(test::has(wrong_http.message, "Not-The-Proxy-Password"));
   auto missing = host.run(
       "Email.Connect",
       test::peer_bag("IMAP", "PEER_IMAPS_PORT").set("proxy", peer.value("PEER_HTTP_PROXY_AUTH")).str());
   CHECK(missing.status == RPA_AUTHENTICATION_FAILED);
   CHECK(test::has(missing.message, "asks for credentials; set proxy_username and proxy_password"));
   auto wrong_socks =
       host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT")
                                     .set("proxy", "socks5://" + peer.value("PEER_SOCKS_PROXY_AUTH"))
                                     .set("proxy_username", "sockuser")
                                     .set("proxy_password", "wrong")
                                     .str());
   CHECK(wrong_socks.status == RPA_AUTHENTICATION_FAILED);
   CHECK(test::has(wrong_socks.message, "the SOCKS5 proxy socks5://" + peer.value("PEER_SOCKS_PROXY_AUTH")));
   // A port nothing listens on (the proxies' range ends at +94).
   const std::string down = "http://127.0.0.1:" + std::to_string(peer.port("PEER_IMAPS_PORT") - 2 + 96);
   auto unreachable =
       host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").set("proxy", down).str());
   CHECK(unreachable.status == RPA_CONNECTION_FAILED);
   CHECK(test::has(unreachable.message, "the proxy " + down + " cannot be reached"));
   auto bad =
       host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").set("proxy", "ftp://x:1").str());
   CHECK(bad.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(bad.message, "proxy"));
   CHECK(host.sessions().names().empty());
}

TEST_CASE("proxy system takes https_proxy from the environment - and no_proxy skips it") {
   const DovecotPeer &peer = DovecotPeer::get();
   const std::string socks = "socks5h://" + peer.value("PEER_SOCKS_PROXY");
   ScopedEnvironment proxy_variable("https_proxy", socks);
   {
      TestHost host;
      auto connected =
          host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").set("proxy", "system").str());
      REQUIRE_MESSAGE(connected.ok(), connected.message);
      CHECK(host.logged("through the proxy " + socks));
   }
   ScopedEnvironment no_proxy("no_proxy", "example.com, localhost");
   TestHost host;
   auto direct =
       host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").set("proxy", "system").str());
   REQUIRE_MESSAGE(direct.ok(), direct.message);
   CHECK_FALSE(host.logged("through the proxy"));
}

TEST_CASE("EWS and Microsoft Graph with their sign-in through an HTTP proxy") {
   const DovecotPeer &peer = DovecotPeer::get();
   TestHost host;
   auto ews = host.run("Email.Connect", test::ews_basic_bag("alice@contoso.test")
                                            .set("session_name", "EWS")
                                            .set("proxy", peer.value("PEER_HTTP_PROXY_AUTH"))
                                            .set("proxy_username", "proxyuser")
                                            .set("proxy_password", proxy_password("proxyuser"))
                                            .str());
   REQUIRE_MESSAGE(ews.ok(), ews.message);
   CHECK(host.logged("through the proxy " + peer.value("PEER_HTTP_PROXY_AUTH")));
   // Graph and the token endpoint (delegated sign-in, password grant) both through the proxy.
   auto graph = host.run("Email.Connect", test::graph_bag("alice@contoso.test")
                                              .set("session_name", "Graph")
                                              .set("proxy", peer.value("PEER_HTTP_PROXY"))
                                              .str());
   REQUIRE_MESSAGE(graph.ok(), graph.message);
   CHECK(host.logged("connected to localhost:" + std::to_string(peer.port("PEER_IDENTITY_PORT")) +
                     " through the proxy " + peer.value("PEER_HTTP_PROXY")));
   check_no_proxy_secret(host, ews);
   const std::string proxy_log = test::read_file(peer.value("PEER_DIR") + "/http-proxy.log");
   CHECK(test::has(proxy_log, "CONNECT localhost:" + std::to_string(peer.port("PEER_IDENTITY_PORT"))));

   auto wrong = host.run("Email.Connect", test::ews_basic_bag("alice@contoso.test")
                                              .set("session_name", "Wrong")
                                              .set("proxy", peer.value("PEER_HTTP_PROXY_AUTH"))
                                              .set("proxy_username", "proxyuser")
                                              .set("proxy_password", "Not-The-Proxy-Password")
                                              .str());
   CHECK_FALSE(wrong.ok());
   CHECK_MESSAGE(test::has(wrong.message, peer.value("PEER_HTTP_PROXY_AUTH")), wrong.message);
   CHECK_FALSE(test::has(wrong.message, "Not-The-Proxy-Password"));
}

TEST_CASE("EWS - Microsoft Graph and the token endpoint through SOCKS5 - by the plugin's own proxy client") {
   const DovecotPeer &peer = DovecotPeer::get();
   TestHost host;
   const std::string socks_auth = "socks5://" + peer.value("PEER_SOCKS_PROXY_AUTH");
   auto ews = host.run("Email.Connect", test::ews_basic_bag("alice@contoso.test")
                                            .set("session_name", "EWS")
                                            .set("proxy", socks_auth)
                                            .set("proxy_username", "sockuser")
                                            .set("proxy_password", proxy_password("sockuser"))
                                            .str());
   REQUIRE_MESSAGE(ews.ok(), ews.message);
   CHECK(host.logged("through the proxy " + socks_auth));
   CHECK_FALSE(host.logged("by the plugin's bridge"));  // HTTPS goes through the proxy client itself
   // The sibling's first call goes through the same tunnel (a kept-alive connection).
   auto folders = host.run("Sibling.ListFolders", R"({"session_name":"EWS"})");
   REQUIRE_MESSAGE(folders.ok(), folders.message);
   CHECK(test::contains(test::folders_of(folders), "Inbox/Projects"));
   // The socks5h kind: the proxy resolves "localhost"; Graph and the password grant both through it.
   const std::string socks_h = "socks5h://" + peer.value("PEER_SOCKS_PROXY");
   // The tenant by its domain name: a sign-in no other test caches in this process.
   auto graph = host.run("Email.Connect", test::graph_bag("alice@contoso.test")
                                              .set("session_name", "Graph")
                                              .set("tenant_id", "contoso.test")
                                              .set("proxy", socks_h)
                                              .str());
   REQUIRE_MESSAGE(graph.ok(), graph.message);
   CHECK(host.logged("connected to localhost:" + std::to_string(peer.port("PEER_IDENTITY_PORT")) +
                     " through the proxy " + socks_h));
   check_no_proxy_secret(host, ews);
   check_no_proxy_secret(host, graph);

   // The SOCKS5 proxy's own refusal reaches the bot designer, naming it, through the bridge.
   auto wrong = host.run("Email.Connect", test::ews_basic_bag("alice@contoso.test")
                                              .set("session_name", "Wrong")
                                              .set("proxy", socks_auth)
                                              .set("proxy_username", "sockuser")
                                              .set("proxy_password", "Not-The-Socks-Password")
                                              .str());
   CHECK(wrong.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(wrong.message, "the SOCKS5 proxy " + socks_auth + " refused proxy_username"),
                 wrong.message);
   CHECK_FALSE(test::has(wrong.message, "Not-The-Socks-Password"));
   auto down = host.run("Email.Connect", test::ews_basic_bag("alice@contoso.test")
                                             .set("session_name", "Down")
                                             .set("proxy", "socks5://127.0.0.1:9")
                                             .str());
   CHECK(down.status == RPA_CONNECTION_FAILED);
   CHECK_MESSAGE(test::has(down.message, "socks5://127.0.0.1:9 cannot be reached"), down.message);
}

TEST_CASE("a plain http:// request (Autodiscover's redirect check) through SOCKS5 and HTTP proxies") {
   const DovecotPeer &peer = DovecotPeer::get();
   const email::HostServices services(nullptr);
   const std::string origin = "http://127.0.0.1:" + std::to_string(peer.port("PEER_PLAIN_HTTP_PORT"));
   // GET origin + path, unauthenticated and in plain text, through `settings`' proxy.
   auto get = [&](email::HttpsClient &http, const std::string &path) {
      email::CallContext context(services, std::chrono::seconds(20), origin);
      email::HttpRequest request;
      request.method = "GET";
      request.url = origin + path;
      request.allow_plain_http = true;
      return http.send(request, context, "the redirect check");
   };
   for (const std::string &proxy :
        {"socks5h://" + peer.value("PEER_SOCKS_PROXY"), "socks5://" + peer.value("PEER_SOCKS_PROXY"),
         peer.value("PEER_HTTP_PROXY"), peer.value("PEER_HTTP_PROXY_AUTH")}) {
      CAPTURE(proxy);
      email::TlsSettings settings;
      settings.proxy = email::parse_proxy_url(proxy);
      if (proxy == peer.value("PEER_HTTP_PROXY_AUTH")) {  // forwarded with the proxy's credentials
         settings.proxy.username = "proxyuser";
         settings.proxy.password = email::SecretString(proxy_password("proxyuser"));
      }
      email::HttpsClient http(settings);
      const email::HttpResponse response = get(http, "/autodiscover/hello.txt");
      CHECK(response.status == 200);
      CHECK(response.body == "plain http through the proxy\n");
      // The same kept-alive connection for a second request (absolute form, relayed as it is).
      CHECK(get(http, "/autodiscover/missing.xml").status == 404);
   }
   {  // A wrong password on a forwarded plain request: tinyproxy 1.11 answers 401 with
      // WWW-Authenticate (not 407), which cannot be told from the server's own 401, so it is passed
      // on as the answer (Autodiscover moves on); a standard proxy's 407 is authentication_failed.
      email::TlsSettings settings;
      settings.proxy = email::parse_proxy_url(peer.value("PEER_HTTP_PROXY_AUTH"));
      settings.proxy.username = "proxyuser";
      settings.proxy.password = email::SecretString("Not-The-Proxy-Password");
      email::HttpsClient http(settings);
      const email::HttpResponse refused = get(http, "/autodiscover/hello.txt");
      CHECK(refused.status == 401);
      CHECK_FALSE(test::has(refused.body, "plain http through the proxy"));
   }
   // Nothing listens on port 9: the SOCKS5 proxy's answer, in its words, not the bridge's 502.
   email::TlsSettings settings;
   settings.proxy = email::parse_proxy_url("socks5://" + peer.value("PEER_SOCKS_PROXY"));
   email::HttpsClient http(settings);
   email::CallContext context(services, std::chrono::seconds(20), "127.0.0.1:9");
   email::HttpRequest request;
   request.method = "GET";
   request.url = "http://127.0.0.1:9/autodiscover/autodiscover.xml";
   request.allow_plain_http = true;
   try {
      http.send(request, context, "the redirect check");
      FAIL("a request to a closed port succeeded");
   } catch (const email::Failure &failure) {
      CHECK(failure.status() == RPA_CONNECTION_FAILED);
      CHECK_MESSAGE(test::has(failure.what(), "the proxy socks5://" + peer.value("PEER_SOCKS_PROXY") +
                                                  " could not connect to 127.0.0.1:9 (connection refused"),
                    std::string(failure.what()));
   }
}

}  // TEST_SUITE("proxy")
