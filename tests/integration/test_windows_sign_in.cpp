// EWS with Windows sign-in (auth_type "negotiate": Kerberos) against a real MIT KDC the fixture
// starts on loopback (realm CONTOSO.TEST) and the EWS peer accepting Negotiate with python3-gssapi
// from its HTTP/localhost keytab. Each case gets its own empty ticket cache (KRB5CCNAME), so
// nothing of the machine's own Kerberos is used or touched. Where a case needs KDCs that do not
// answer, or none, it writes a krb5.conf of its own for the same realm.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "connect_helpers.h"
#include "oauth_helpers.h"
#include "silent_server.h"

using test::DovecotPeer;
using test::JsonBag;
using test::ScopedEnvironment;
using test::TestHost;

namespace {

// A krb5.conf for the test realm whose KDCs are `kdc_lines` ("kdc = 127.0.0.1:88" lines; none:
// the realm is not in [realms]), in a temporary file removed with this object.
struct RealmConfig {
   RealmConfig(const std::string &kdc_lines, bool dns_lookup_kdc) {
      char name[] = "/tmp/rpa-test-krb5.conf.XXXXXX";
      const int fd = ::mkstemp(name);
      if (fd >= 0) ::close(fd);
      path = name;
      std::FILE *file = std::fopen(name, "w");
      if (!file) return;
      std::fprintf(file,
                   "[libdefaults]\n  default_realm = CONTOSO.TEST\n  dns_lookup_kdc = %s\n"
                   "  dns_lookup_realm = false\n  rdns = false\n[realms]\n%s[domain_realm]\n"
                   "  localhost = CONTOSO.TEST\n",
                   dns_lookup_kdc ? "true" : "false",
                   kdc_lines.empty() ? "" : ("  CONTOSO.TEST = {\n" + kdc_lines + "  }\n").c_str());
      std::fclose(file);
   }
   ~RealmConfig() { std::remove(path.c_str()); }
   RealmConfig(const RealmConfig &) = delete;
   RealmConfig &operator=(const RealmConfig &) = delete;
   std::string path;
};

std::string kdc_line(int port) { return "    kdc = 127.0.0.1:" + std::to_string(port) + "\n"; }

// KRB5_CONFIG pointing at the test realm (the fixture's krb5.conf, or `config`), and a ticket cache
// of this case's own.
struct TestRealm {
   explicit TestRealm(const std::string &config_path = DovecotPeer::get().value("PEER_KRB5_CONFIG"))
       : cache_path(make_cache_path()),
         config("KRB5_CONFIG", config_path),
         cache("KRB5CCNAME", "FILE:" + cache_path) {}
   ~TestRealm() { std::remove(cache_path.c_str()); }
   static std::string make_cache_path() {
      char path[] = "/tmp/rpa-test-krb5cc.XXXXXX";
      const int fd = ::mkstemp(path);
      if (fd >= 0) ::close(fd);
      std::remove(path);  // kinit creates it; absent means "no ticket cache"
      return path;
   }
   std::string cache_path;
   ScopedEnvironment config;
   ScopedEnvironment cache;
};

std::string kerberos_password() {
   return test::read_file(DovecotPeer::get().value("PEER_KRB_ALICE_PASSWORD_FILE"));
}

// An EWS bag for Windows sign-in as `username` (no password: the ticket cache).
JsonBag negotiate_bag(const std::string &username) {
   return test::ews_bag(username).set("auth_type", "negotiate");
}

// Connect with Windows sign-in as `username` with alice's password, under `session`.
rpa_host::ActionOutcome connect_with_password(TestHost &host, const std::string &username,
                                              const std::string &session) {
   return host.run(
       "Email.Connect",
       negotiate_bag(username).set("session_name", session).set("password", kerberos_password()).str());
}

// kinit -k -t alice.keytab alice: the unattended runner's way to a ticket cache (with `lifetime`,
// e.g. "2s", a ticket that runs out that soon).
int kinit_from_keytab(const std::string &lifetime = "") {
   const std::string command = "kinit " + (lifetime.empty() ? "" : "-l " + lifetime + " ") + "-k -t '" +
                               DovecotPeer::get().value("PEER_KRB_ALICE_KEYTAB") +
                               "' alice@CONTOSO.TEST >/dev/null 2>&1";
   const int status = std::system(command.c_str());
   return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_SUITE("ews") {

TEST_CASE(
    "Windows sign-in with a password: user@REALM and DOMAIN-backslash-user - the sibling lists folders") {
   TestRealm realm;
   TestHost host;
   auto connected = connect_with_password(host, "alice@CONTOSO.TEST", "Kerberos");
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(std::string(test::session_of(connected)["login_method"].GetString()) == "Negotiate (Kerberos)");
   CHECK(host.logged("EWS: Negotiate (Kerberos) as alice@CONTOSO.TEST for HTTP@localhost"));
   auto listed = host.run("Sibling.ListFolders", R"({"session_name":"Kerberos"})");
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   CHECK(test::contains(test::folders_of(listed), "Inbox/Projects"));

   // An spn as setspn shows it, with the realm written out.
   auto with_realm = host.run("Email.Connect", negotiate_bag("alice@CONTOSO.TEST")
                                                   .set("session_name", "SpnRealm")
                                                   .set("password", kerberos_password())
                                                   .set("spn", "HTTP/localhost@CONTOSO.TEST")
                                                   .str());
   CHECK_MESSAGE(with_realm.ok(), with_realm.message);

   auto domain_form = host.run("Email.Connect", negotiate_bag("CONTOSO.TEST\\alice")
                                                    .set("session_name", "Domain")
                                                    .set("password", kerberos_password())
                                                    .str());
   CHECK_MESSAGE(domain_form.ok(), domain_form.message);
   for (const std::string &line : host.logs()) CHECK_FALSE(test::has(line, kerberos_password()));
}

TEST_CASE("Windows sign-in from the runner's ticket cache (kinit from a keytab) - and without one") {
   TestRealm realm;
   TestHost host;
   auto no_cache = host.run("Email.Connect", negotiate_bag("alice@contoso.test").str());
   CHECK(no_cache.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(no_cache.message, "no Kerberos ticket cache was found"), no_cache.message);

   REQUIRE(kinit_from_keytab() == 0);
   auto cached = host.run("Email.Connect", negotiate_bag("alice@contoso.test").str());
   REQUIRE_MESSAGE(cached.ok(), cached.message);
   CHECK(host.logged("Windows sign-in: using the ticket cache of alice@CONTOSO.TEST"));

   // The runner's ticket has run out (nobody renewed it): said so, with what to do.
   REQUIRE(kinit_from_keytab("2s") == 0);
   std::this_thread::sleep_for(std::chrono::seconds(3));
   auto expired =
       host.run("Email.Connect", negotiate_bag("alice@contoso.test").set("session_name", "Expired").str());
   CHECK(expired.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(
       test::has(expired.message, "the Kerberos ticket has expired; renew it (kinit) or give a password"),
       expired.message);
}

TEST_CASE(
    "Windows sign-in refusals in Windows terms: wrong password - unknown user - no SPN - no Negotiate") {
   TestRealm realm;
   TestHost host;
   auto wrong =
       host.run("Email.Connect",
                negotiate_bag("alice@CONTOSO.TEST").set("password", "Not-The-Kerberos-Password").str());
   CHECK(wrong.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(wrong.message, "is wrong (the KDC said preauthentication failed)"), wrong.message);
   CHECK_FALSE(test::has(wrong.message, "Not-The-Kerberos-Password"));

   auto unknown = host.run("Email.Connect",
                           negotiate_bag("nobody@CONTOSO.TEST").set("password", kerberos_password()).str());
   CHECK(unknown.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(unknown.message, "does not know the user \"nobody@CONTOSO.TEST\""),
                 unknown.message);

   // From the ticket cache (with a password, Negotiate would try NTLM instead, as Windows does).
   REQUIRE(kinit_from_keytab() == 0);
   auto no_spn = host.run("Email.Connect",
                          negotiate_bag("alice@CONTOSO.TEST").set("spn", "HTTP/exchange.contoso.test").str());
   CHECK(no_spn.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(no_spn.message, "no service principal \"HTTP/exchange.contoso.test\""),
                 no_spn.message);

   // A virtual directory with Windows sign-in off: it offers Basic only.
   std::string basic_only = DovecotPeer::get().value("PEER_EWS_URL");
   basic_only.replace(basic_only.rfind("Exchange.asmx"), 13, "BasicOnly.asmx");
   auto refused = host.run("Email.Connect", negotiate_bag("alice@CONTOSO.TEST")
                                                .set("password", kerberos_password())
                                                .set("ews_url", basic_only)
                                                .str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(refused.message, "it offers: Basic"), refused.message);
   CHECK(test::has(refused.message, "does not offer Negotiate"));
   CHECK(host.sessions().names().empty());
}

TEST_CASE(
    "Windows sign-in with NTLM: DOMAIN-backslash-user over three legs on one connection - wrong password - "
    "no password") {
   TestRealm realm;  // NTLM needs no KDC; the realm keeps the machine's own Kerberos out of the way
   TestHost host;
   auto connected = host.run("Email.Connect", test::ews_bag("CONTOSO\\alice")
                                                  .set("auth_type", "ntlm")
                                                  .set("session_name", "NTLM")
                                                  .set("password", kerberos_password())
                                                  .str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(std::string(test::session_of(connected)["login_method"].GetString()) == "NTLM");
   // Round trips (counted, after TCP and TLS): 2 for the Connect's NTLM exchange (negotiate ->
   // challenge, authenticate + GetFolder -> answer), then 1 for each request on the connection the
   // server keeps signed in.
   CHECK(test::session_of(connected)["round_trips"].GetUint64() == 2);
   {
      const rpa_email_session *session = test::email_session_named(host, "NTLM");
      std::string text;
      rpa_text_sink sink = test::string_sink(text);
      for (int i = 0; i < 3; ++i) CHECK(session->noop(session, host.services(), &sink) == RPA_OK);
      text.clear();
      CHECK(session->info(session, &sink) == RPA_OK);
      CHECK_MESSAGE(test::has(text, "\"round_trips\":5"), text);
      session->handle.release(&session->handle);
   }
   auto listed = host.run("Sibling.ListFolders", R"({"session_name":"NTLM"})");
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   CHECK(test::contains(test::folders_of(listed), "Inbox/Projects"));
   const std::string ews_log = test::read_file(DovecotPeer::get().value("PEER_DIR") + "/ews.log");
   CHECK(test::has(ews_log, "NTLM: challenge"));
   // The sibling's requests went out on the connection the server keeps signed in (as IIS does),
   // with no new NTLM exchange.
   CHECK(host.logged("EWS: POST on the connection NTLM signed in"));
   CHECK(test::has(ews_log, "is signed in"));

   // Through proxies: the plugin's own NTLM connection tunnels like the rest (HTTP CONNECT, SOCKS5).
   for (const std::string &proxy : {DovecotPeer::get().value("PEER_HTTP_PROXY"),
                                    "socks5://" + DovecotPeer::get().value("PEER_SOCKS_PROXY")}) {
      CAPTURE(proxy);
      TestHost proxied;
      auto through = proxied.run("Email.Connect", test::ews_bag("CONTOSO\\alice")
                                                      .set("auth_type", "ntlm")
                                                      .set("session_name", "Proxied")
                                                      .set("password", kerberos_password())
                                                      .set("proxy", proxy)
                                                      .str());
      REQUIRE_MESSAGE(through.ok(), through.message);
      CHECK(proxied.logged("through the proxy " + proxy));
      auto again = proxied.run("Sibling.ListFolders", R"({"session_name":"Proxied"})");
      CHECK_MESSAGE(again.ok(), again.message);
   }

   // A server that keeps NTLM sign-ins for one request only (authPersistSingleRequest): the plugin
   // learns it at the first 401 and signs in for every request from then on.
   std::string single_request = DovecotPeer::get().value("PEER_EWS_URL");
   single_request.replace(single_request.rfind("Exchange.asmx"), 13, "SingleRequest.asmx");
   TestHost per_request;
   auto each_time = per_request.run("Email.Connect", test::ews_bag("CONTOSO\\alice")
                                                         .set("auth_type", "ntlm")
                                                         .set("session_name", "EachTime")
                                                         .set("ews_url", single_request)
                                                         .set("password", kerberos_password())
                                                         .str());
   REQUIRE_MESSAGE(each_time.ok(), each_time.message);
   for (int i = 0; i < 2; ++i) {
      auto again = per_request.run("Sibling.ListFolders", R"({"session_name":"EachTime"})");
      CHECK_MESSAGE(again.ok(), again.message);
   }
   CHECK(per_request.logged("EWS: the server does not keep NTLM sign-ins for the connection"));
   CHECK_FALSE(per_request.logged("on the connection NTLM signed in"));

   auto wrong = host.run("Email.Connect", test::ews_bag("CONTOSO\\alice")
                                              .set("auth_type", "ntlm")
                                              .set("session_name", "Wrong")
                                              .set("password", "Not-The-NTLM-Password")
                                              .str());
   CHECK(wrong.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(wrong.message, "refused the Windows sign-in (NTLM as CONTOSO\\alice"),
                 wrong.message);
   CHECK_FALSE(test::has(wrong.message, "Not-The-NTLM-Password"));

   auto no_password =
       host.run("Email.Connect", test::ews_bag("CONTOSO\\alice").set("auth_type", "ntlm").str());
   CHECK(no_password.status == RPA_INVALID_PROPERTIES);
   CHECK_MESSAGE(test::has(no_password.message, "password"), no_password.message);
}

TEST_CASE("Negotiate falls back to NTLM when Kerberos is not possible - a domain with no KDC to be found") {
   TestRealm realm;  // knows CONTOSO.TEST; the NetBIOS domain CONTOSO has no KDC anywhere
   TestHost host;
   auto connected = connect_with_password(host, "CONTOSO\\alice", "Fallback");
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("EWS: Kerberos is not possible here ("));
   CHECK(host.logged("signing in with NTLM"));
   CHECK(std::string(test::session_of(connected)["login_method"].GetString()) == "NTLM");
}

TEST_CASE(
    "A server that offers NTLM and not Negotiate: Negotiate signs in with NTLM - without a password it says "
    "so") {
   TestRealm realm;
   TestHost host;
   std::string ntlm_only = DovecotPeer::get().value("PEER_EWS_URL");
   ntlm_only.replace(ntlm_only.rfind("Exchange.asmx"), 13, "NtlmOnly.asmx");
   auto connected = host.run("Email.Connect", negotiate_bag("CONTOSO.TEST\\alice")
                                                  .set("password", kerberos_password())
                                                  .set("ews_url", ntlm_only)
                                                  .set("session_name", "NtlmOnly")
                                                  .str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("offers NTLM and not Negotiate; signing in with NTLM"));
   CHECK(std::string(test::session_of(connected)["login_method"].GetString()) == "NTLM");
   auto listed = host.run("Sibling.ListFolders", R"({"session_name":"NtlmOnly"})");
   CHECK_MESSAGE(listed.ok(), listed.message);

   REQUIRE(kinit_from_keytab() == 0);  // Kerberos from the ticket cache: no password for NTLM
   auto refused =
       host.run("Email.Connect", negotiate_bag("alice@CONTOSO.TEST").set("ews_url", ntlm_only).str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(refused.message, "it offers: NTLM"), refused.message);
   CHECK(test::has(refused.message, "The server does not offer Negotiate"));
}

TEST_CASE("Autodiscover with Windows sign-in finds EWS (SRV) and signs in to each candidate host") {
   TestRealm realm;
   test::WithTestDns dns;
   TestHost host;
   JsonBag bag = negotiate_bag("alice@CONTOSO.TEST").set("password", kerberos_password());
   bag.erase("ews_url").set("domain", "contoso.test");
   auto connected = host.run("Email.Connect", bag.str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   // Autodiscover keeps its answers for the process: where another case found alice's EWS
   // before (one process running every case; ctest runs each alone), the answer is the cached one.
   CHECK((host.logged("Autodiscover: EWS for alice@CONTOSO.TEST is " +
                      DovecotPeer::get().value("PEER_EWS_URL")) ||
          host.logged("Autodiscover: cached EWS URL for alice@CONTOSO.TEST")));
   // A wrong password ends the search with the KDC's answer, not "Autodiscover found nothing"
   // (another name for alice: Autodiscover's answer for the first is cached).
   JsonBag wrong = negotiate_bag("CONTOSO.TEST\\alice").set("password", "Not-The-Kerberos-Password");
   wrong.erase("ews_url").set("domain", "contoso.test").set("session_name", "Wrong");
   auto refused = host.run("Email.Connect", wrong.str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(refused.message, "preauthentication failed"), refused.message);
   CHECK_FALSE(host.logged("Autodiscover: cached EWS URL for CONTOSO.TEST"));

   // NTLM: Autodiscover's POST runs the three legs too.
   JsonBag ntlm =
       test::ews_bag("CONTOSO\\alice").set("auth_type", "ntlm").set("password", kerberos_password());
   ntlm.erase("ews_url").set("domain", "contoso.test").set("session_name", "NtlmAutodiscover");
   auto by_ntlm = host.run("Email.Connect", ntlm.str());
   REQUIRE_MESSAGE(by_ntlm.ok(), by_ntlm.message);
   CHECK(host.logged("Autodiscover: EWS for CONTOSO\\alice is " + DovecotPeer::get().value("PEER_EWS_URL")));
}

TEST_CASE("A service ticket about to run out is fetched again before the next request") {
   TestRealm realm;
   TestHost host;
   // Tickets the KDC has issued for HTTP/shortlived (its log is the fixture's, shared by runs).
   auto short_tickets_issued = [] {
      const std::string kdc_log = test::read_file(DovecotPeer::get().value("PEER_DIR") + "/krb5/kdc.log");
      std::size_t issued = 0;
      for (std::size_t at = 0;
           (at = kdc_log.find("for HTTP/shortlived@CONTOSO.TEST", at)) != std::string::npos; ++at)
         ++issued;
      return issued;
   };
   const std::size_t issued_before = short_tickets_issued();
   auto connected = host.run("Email.Connect", negotiate_bag("alice@CONTOSO.TEST")
                                                  .set("password", kerberos_password())
                                                  .set("spn", "HTTP/shortlived")  // tickets last 4 minutes
                                                  .set("session_name", "Short")
                                                  .str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   for (int i = 0; i < 2; ++i) {
      auto listed = host.run("Sibling.ListFolders", R"({"session_name":"Short"})");
      CHECK_MESSAGE(listed.ok(), listed.message);
   }
   CHECK(host.logged(
       "Windows sign-in: the ticket for HTTP/shortlived runs out within 5 minutes; getting a new one"));
   // A new ticket each time (the one running out was not handed back from the cache): the KDC
   // issued one for the Connect and for each listing.
   CHECK(short_tickets_issued() >= issued_before + 3);
}

TEST_CASE("A server whose clock is 10 minutes off refuses the ticket: said as clock skew") {
   TestRealm realm;
   TestHost host;
   auto refused =
       host.run("Email.Connect", negotiate_bag("alice@CONTOSO.TEST")
                                     .set("password", kerberos_password())
                                     .set("ews_url", DovecotPeer::get().value("PEER_EWS_SKEWED_URL"))
                                     .str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(refused.message,
                           "clock differs too much from the domain controller's or the server's "
                           "(Kerberos allows 5 minutes); set the clock right"),
                 refused.message);
   CHECK(host.sessions().names().empty());
}

TEST_CASE("Windows sign-in finds the KDC through DNS SRV (_kerberos._tcp) when krb5.conf names none") {
   RealmConfig by_dns("", true);
   TestRealm realm(by_dns.path);
   test::WithTestDns dns;  // _kerberos._tcp.contoso.test -> the fixture's KDC
   TestHost host;
   auto connected = connect_with_password(host, "alice@contoso.test", "ByDns");  // the realm in capitals
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("EWS: Negotiate (Kerberos) as alice@CONTOSO.TEST"));

   // No kdc line and dns_lookup_kdc = false: nothing to ask, said so (from the ticket cache: with a
   // password, Negotiate would try NTLM instead).
   {
      ScopedEnvironment fixture("KRB5_CONFIG", DovecotPeer::get().value("PEER_KRB5_CONFIG"));
      REQUIRE(kinit_from_keytab() == 0);
   }
   RealmConfig nowhere("", false);
   ScopedEnvironment no_kdc("KRB5_CONFIG", nowhere.path);
   auto refused = host.run("Email.Connect", negotiate_bag("alice@CONTOSO.TEST").str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(refused.message,
                           "no domain controller (KDC) could be reached: none of the realm "
                           "CONTOSO.TEST was found: krb5.conf names no kdc for the realm and "
                           "dns_lookup_kdc is false"),
                 refused.message);
}

TEST_CASE(
    "A KDC that never answers: timeout_seconds bounds the sign-in, the host's cancel stops it, the next KDC "
    "is tried") {
   test::SilentServer silent;
   RealmConfig silent_only(kdc_line(silent.port()), false);
   TestRealm realm(silent_only.path);
   {
      TestHost host;
      auto timed_out = host.run("Email.Connect", negotiate_bag("alice@CONTOSO.TEST")
                                                     .set("password", kerberos_password())
                                                     .set("timeout_seconds", 2)
                                                     .str());
      CHECK(timed_out.status == RPA_TIMEOUT);
      CHECK_MESSAGE(test::has(timed_out.message, "the KDC 127.0.0.1:" + std::to_string(silent.port()) +
                                                     " did not answer within 2 seconds (timeout_seconds)"),
                    timed_out.message);
   }
   {
      TestHost host;
      std::thread canceller([&] {
         std::this_thread::sleep_for(std::chrono::milliseconds(300));
         host.cancel();
      });
      auto cancelled = host.run("Email.Connect", negotiate_bag("alice@CONTOSO.TEST")
                                                     .set("password", kerberos_password())
                                                     .set("timeout_seconds", 600)
                                                     .str());
      canceller.join();
      CHECK(cancelled.status == RPA_CANCELLED);
      CHECK_MESSAGE(test::has(cancelled.message, "cancelled while waiting for"), cancelled.message);
   }
   // The silent KDC first: its share of the time (5 s at most) runs out, the fixture's KDC signs in.
   RealmConfig silent_first(
       kdc_line(silent.port()) + "    kdc = " + DovecotPeer::get().value("PEER_KRB_KDC") + "\n", false);
   ScopedEnvironment second("KRB5_CONFIG", silent_first.path);
   TestHost host;
   auto connected = host.run("Email.Connect", negotiate_bag("alice@CONTOSO.TEST")
                                                  .set("password", kerberos_password())
                                                  .set("timeout_seconds", 60)
                                                  .str());
   CHECK_MESSAGE(connected.ok(), connected.message);
}

TEST_CASE("KDCs that refuse the connection are each named - Negotiate then tries NTLM with a password") {
   int closed_port;
   {
      test::SilentServer gone;
      closed_port = gone.port();
   }
   TestRealm realm;
   REQUIRE(kinit_from_keytab() == 0);  // a ticket cache; the service ticket still needs a KDC
   RealmConfig refusing(kdc_line(closed_port), false);
   ScopedEnvironment config("KRB5_CONFIG", refusing.path);
   TestHost host;
   auto refused = host.run("Email.Connect", negotiate_bag("alice@CONTOSO.TEST").str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(refused.message,
                           "no domain controller (KDC) could be reached: none of the realm "
                           "CONTOSO.TEST answered: cannot connect to 127.0.0.1:" +
                               std::to_string(closed_port)),
                 refused.message);
}

}  // TEST_SUITE("ews")
