// EWS with Windows sign-in (auth_type "negotiate": Kerberos) against a real MIT KDC the fixture
// starts on loopback (realm CONTOSO.TEST) and the EWS peer accepting Negotiate with python3-gssapi
// from its HTTP/localhost keytab. Each case gets its own empty ticket cache (KRB5CCNAME), so
// nothing of the machine's own Kerberos is used or touched.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "connect_helpers.h"
#include "oauth_helpers.h"

using test::DovecotPeer;
using test::JsonBag;
using test::ScopedEnvironment;
using test::TestHost;

namespace {

// KRB5_CONFIG pointing at the test realm, and a ticket cache of this case's own.
struct TestRealm {
   TestRealm()
       : cache_path(make_cache_path()),
         config("KRB5_CONFIG", DovecotPeer::get().value("PEER_KRB5_CONFIG")),
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

// kinit -k -t alice.keytab alice: the unattended runner's way to a ticket cache.
int kinit_from_keytab() {
   const std::string command = "kinit -k -t '" + DovecotPeer::get().value("PEER_KRB_ALICE_KEYTAB") +
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
   auto listed = host.run("Sibling.ListFolders", R"({"session_name":"NTLM"})");
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   CHECK(test::contains(test::folders_of(listed), "Inbox/Projects"));
   const std::string ews_log = test::read_file(DovecotPeer::get().value("PEER_DIR") + "/ews.log");
   CHECK(test::has(ews_log, "NTLM: challenge"));

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

TEST_CASE("Autodiscover with Windows sign-in finds EWS (SRV) and signs in to each candidate host") {
   TestRealm realm;
   test::WithTestDns dns;
   TestHost host;
   JsonBag bag = negotiate_bag("alice@CONTOSO.TEST").set("password", kerberos_password());
   bag.erase("ews_url").set("domain", "contoso.test");
   auto connected = host.run("Email.Connect", bag.str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("Autodiscover: EWS for alice@CONTOSO.TEST is " +
                     DovecotPeer::get().value("PEER_EWS_URL")));
   // A wrong password ends the search with the KDC's answer, not "Autodiscover found nothing"
   // (another name for alice: Autodiscover's answer for the first is cached).
   JsonBag wrong = negotiate_bag("CONTOSO.TEST\\alice").set("password", "Not-The-Kerberos-Password");
   wrong.erase("ews_url").set("domain", "contoso.test").set("session_name", "Wrong");
   auto refused = host.run("Email.Connect", wrong.str());
   CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
   CHECK_MESSAGE(test::has(refused.message, "preauthentication failed"), refused.message);
   CHECK_FALSE(host.logged("Autodiscover: cached EWS URL for CONTOSO.TEST"));
}

}  // TEST_SUITE("ews")
