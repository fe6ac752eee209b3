// Connect over IMAP against the real Dovecot: implicit TLS, STARTTLS, plain text, LOGINDISABLED,
// wrong passwords, vault credentials; and the two cases only a scripted peer acts out.
#include <rapidjson/document.h>

#include <functional>
#include <memory>

#include "connect_helpers.h"
#include "oauth_helpers.h"
#include "silent_server.h"

using test::DovecotPeer;
using test::JsonBag;
using test::TestHost;

using test::session_of;

TEST_SUITE("imap") {

TEST_CASE("IMAP over implicit TLS logs in with one round trip (SASL-IR - capabilities in the OK)") {
   TestHost host;
   auto outcome = host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT").str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   auto info = session_of(outcome);
   CHECK(std::string(info["protocol"].GetString()) == "IMAP");
   CHECK(std::string(info["tls_version"].GetString()).rfind("TLSv1.", 0) == 0);
   CHECK(std::string(info["user"].GetString()) == "alice");
   CHECK(std::string(info["state"].GetString()) == "authenticated");
   CHECK(info["round_trips"].GetUint64() == 1);
   bool post_login_capabilities = false;  // only the tagged OK of the login lists MOVE
   for (auto &capability : info["capabilities"].GetArray())
      post_login_capabilities = post_login_capabilities || std::string(capability.GetString()) == "MOVE";
   CHECK(post_login_capabilities);
   CHECK(outcome.message.find("with TLSv1.") != std::string::npos);
   // RFC 2971 ID went in the same write as the sign-in (still one round trip); Dovecot answered it.
   CHECK(
       host.logged("IMAP C: A1 ID (\"name\" \"RPA Email plugin\" \"version\" \"" EMAIL_PLUGIN_VERSION "\")"));
   CHECK(host.logged("IMAP C: A2 AUTHENTICATE PLAIN ****"));
   CHECK(std::string(info["server_id"]["name"].GetString()) == "Dovecot");
   test::check_no_secret_leaked(host, outcome.message, outcome.result_json);
}

TEST_CASE("IMAP with STARTTLS signs in right after the upgrade - capabilities from the tagged OK") {
   TestHost host;
   auto outcome = host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAP_STARTTLS_PORT").str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   auto info = session_of(outcome);
   CHECK(std::string(info["tls_version"].GetString()).rfind("TLSv1.", 0) == 0);
   CHECK(info["round_trips"].GetUint64() == 2);  // STARTTLS, AUTHENTICATE
   CHECK(host.logged("IMAP C: A1 STARTTLS"));
   CHECK(host.logged("IMAP C: A2 ID ("));  // from the pre-TLS hints, after the upgrade
   CHECK(host.logged("IMAP C: A3 AUTHENTICATE PLAIN ****"));
   CHECK_FALSE(host.logged("IMAP C: A3 CAPABILITY"));
   CHECK_FALSE(host.logged("IMAP C: A4 CAPABILITY"));
   bool post_login_capabilities = false;  // the tagged OK's list, not the pre-TLS one
   for (auto &capability : info["capabilities"].GetArray())
      post_login_capabilities = post_login_capabilities || std::string(capability.GetString()) == "MOVE";
   CHECK(post_login_capabilities);
   test::check_no_secret_leaked(host, outcome.message, outcome.result_json);
}

TEST_CASE("use_secure_connection false still upgrades when the server offers STARTTLS") {
   TestHost host;
   auto outcome =
       host.run("Email.Connect",
                test::peer_bag("IMAP", "PEER_IMAP_STARTTLS_PORT").set("use_secure_connection", false).str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   CHECK(session_of(outcome)["tls_version"].IsString());
}

TEST_CASE("plain text only with use_secure_connection false - and with a warning") {
   TestHost host;
   auto outcome =
       host.run("Email.Connect",
                test::peer_bag("IMAP", "PEER_PLAIN_IMAP_PORT").set("use_secure_connection", false).str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   CHECK(session_of(outcome)["tls_version"].IsNull());
   CHECK(outcome.message.find("WITHOUT encryption") != std::string::npos);
   CHECK(host.logged("continuing WITHOUT encryption"));
}

TEST_CASE("a server without STARTTLS is refused when TLS is required - before any password") {
   TestHost host;
   auto outcome = host.run("Email.Connect", test::peer_bag("IMAP", "PEER_PLAIN_IMAP_PORT").str());
   CHECK(outcome.status == RPA_TLS_FAILED);
   CHECK(outcome.message.find("does not offer STARTTLS") != std::string::npos);
   CHECK_FALSE(host.logged("AUTHENTICATE"));
}

TEST_CASE("a refused password at a known provider's host says that provider's rule - IMAP and POP3") {
   // The test DNS points the providers' names at the plain Dovecot (no TLS there, so no certificate
   // for those names is needed); Dovecot refuses the wrong password as the provider would.
   test::WithTestDns dns;
   TestHost host;
   struct Case {
      const char *host, *protocol, *port, *rule;
   };
   for (const Case &provider :
        {Case{"outlook.office365.com", "IMAP", "PEER_PLAIN_IMAP_PORT",
              "no longer accept passwords for IMAP and POP"},
         Case{"imap.gmail.com", "IMAP", "PEER_PLAIN_IMAP_PORT", "app password"},
         Case{"imap.ocn.ne.jp", "POP3", "PEER_PLAIN_POP3_PORT", "OCN mail address (OCN ID)"}}) {
      CAPTURE(provider.host);
      auto refused = host.run("Email.Connect", test::peer_bag(provider.protocol, provider.port)
                                                   .set("host", provider.host)
                                                   .set("use_secure_connection", false)
                                                   .set("password", "Not-The-Password")
                                                   .str());
      CHECK(refused.status == RPA_AUTHENTICATION_FAILED);
      CHECK_MESSAGE(test::has(refused.message, provider.rule), refused.message);
      CHECK_MESSAGE(test::has(refused.message, "rejected the username or password"), refused.message);
   }
   // An unknown host: the refusal alone.
   auto plain = host.run("Email.Connect", test::peer_bag("IMAP", "PEER_PLAIN_IMAP_PORT")
                                              .set("use_secure_connection", false)
                                              .set("password", "Not-The-Password")
                                              .str());
   CHECK(plain.status == RPA_AUTHENTICATION_FAILED);
   CHECK_FALSE(test::has(plain.message, "app password"));
}

TEST_CASE("LOGINDISABLED gets no password") {
   TestHost host;
   const DovecotPeer &peer = DovecotPeer::get();
   auto bag = test::peer_bag("IMAP", "PEER_STRICT_IMAP_PORT")
                  .set("host", peer.value("PEER_STRICT_HOST"))
                  .set("use_secure_connection", false);
   auto outcome = host.run("Email.Connect", bag.str());
   CHECK(outcome.status == RPA_AUTHENTICATION_FAILED);
   CHECK(outcome.message.find("LOGINDISABLED") != std::string::npos);
   CHECK(outcome.message.find("no password was sent") != std::string::npos);
   CHECK_FALSE(host.logged("AUTHENTICATE"));
   CHECK_FALSE(host.logged("LOGIN "));
}

TEST_CASE("a wrong password says authentication failed - and never echoes it") {
   TestHost host;
   auto outcome = host.run("Email.Connect",
                           test::peer_bag("IMAP", "PEER_IMAPS_PORT").set("password", "Wrong-Pa55word").str());
   CHECK(outcome.status == RPA_AUTHENTICATION_FAILED);
   CHECK(outcome.message.find("authentication failed") == 0);
   CHECK(outcome.message.find("AUTHENTICATIONFAILED") != std::string::npos);
   CHECK(outcome.message.find("Wrong-Pa55word") == std::string::npos);
   for (const std::string &line : host.logs()) CHECK(line.find("Wrong-Pa55word") == std::string::npos);
   CHECK(host.sessions().names().empty());
}

TEST_CASE("a password with quotes - a backslash and non-ASCII letters") {
   TestHost host;
   auto outcome = host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT", "bob").str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   test::check_no_secret_leaked(host, outcome.message, outcome.result_json);
}

TEST_CASE("username and password from the Credential Vault") {
   TestHost host;
   const DovecotPeer &peer = DovecotPeer::get();
   host.vault().set("Mail", "alice", "username", rpa::SecretString("alice"));
   host.vault().set("Mail", "alice", "password", rpa::SecretString(peer.password("alice")));
   auto outcome =
       host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT")
                                     .set("username", JsonBag::credential("Mail", "alice", "username"))
                                     .set("password", JsonBag::credential("Mail", "alice", "password"))
                                     .str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   CHECK(std::string(session_of(outcome)["user"].GetString()) == "alice");
   test::check_no_secret_leaked(host, outcome.message, outcome.result_json);

   auto missing =
       host.run("Email.Connect", test::peer_bag("IMAP", "PEER_IMAPS_PORT")
                                     .set("session_name", "Other")
                                     .set("password", JsonBag::credential("Mail", "bob", "password"))
                                     .str());
   CHECK(missing.status == RPA_CREDENTIAL_NOT_FOUND);
   CHECK(missing.message.find("credential \"bob\"") != std::string::npos);
}

TEST_CASE("plaintext injected after the STARTTLS go-ahead ends the connection") {
   test::ScriptedServer server(
       "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] hi\r\n",
       {"A1 OK Begin TLS negotiation now\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] forged\r\n"});
   TestHost host;
   auto outcome = host.run("Email.Connect",
                           test::loopback_bag(server.port(), "IMAP", "alice", "secret-never-sent").str());
   CHECK(outcome.status == RPA_PROTOCOL_ERROR);
   CHECK(outcome.message.find("STARTTLS injection") != std::string::npos);
   auto received = server.received();
   REQUIRE(received.size() == 1);
   CHECK(received[0] == "A1 STARTTLS");
}

TEST_CASE("PREAUTH on a clear-text connection is refused when TLS is required") {
   test::ScriptedServer server("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome\r\n", {});
   TestHost host;
   auto outcome =
       host.run("Email.Connect",
                test::loopback_bag(server.port(), "IMAP", "alice", "pw").set("tls_mode", "starttls").str());
   CHECK(outcome.status == RPA_TLS_FAILED);
   CHECK(outcome.message.find("PREAUTH") != std::string::npos);
}

TEST_CASE("LOGIN with a literal when the server offers no AUTH=PLAIN") {
   // A server that knows only LOGIN and synchronizing literals: the password has 8-bit bytes.
   test::ScriptedServer server(
       "* OK [CAPABILITY IMAP4rev1] hi\r\n",
       {"+ go ahead\r\n", "+ go ahead\r\n", "A1 OK [CAPABILITY IMAP4rev1 MOVE] welcome\r\n",
        "* BYE bye\r\nA2 OK done\r\n"});
   TestHost host;
   auto outcome = host.run("Email.Connect", test::loopback_bag(server.port(), "IMAP", "ålice", "pässword")
                                                .set("use_secure_connection", false)
                                                .str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   CHECK(host.logged("IMAP C: A1 LOGIN **** ****"));
   host.sessions().clear();
   auto received = server.received();
   REQUIRE(received.size() >= 3);
   CHECK(received[0] == "A1 LOGIN {6}");
   CHECK(received[1] == "ålice {9}");
   CHECK(received[2] == "pässword");
}

TEST_CASE("LOGIN with non-synchronizing literals when the server offers LITERAL+") {
   test::ScriptedServer server(
       "* OK [CAPABILITY IMAP4rev1 LITERAL+] hi\r\n",
       {"", "A1 OK [CAPABILITY IMAP4rev1] welcome\r\n", "* BYE bye\r\nA2 OK done\r\n"});
   TestHost host;
   auto outcome = host.run("Email.Connect", test::loopback_bag(server.port(), "IMAP", "alice", "pässword")
                                                .set("use_secure_connection", false)
                                                .str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   host.sessions().clear();
   auto received = server.received();
   REQUIRE(received.size() >= 3);
   CHECK(received[0] == "A1 LOGIN \"alice\" {9+}");
   CHECK(received[1] == "pässword");
   auto info = session_of(outcome);
   CHECK(info["round_trips"].GetUint64() == 1);  // one flight: no waiting for go-aheads
}

}  // TEST_SUITE("imap")

TEST_SUITE("imap") {
TEST_CASE("a server that echoes the password gets it redacted from traces and messages") {
   test::ScriptedServer server("* OK [CAPABILITY IMAP4rev1 LITERAL+] hi\r\n",
                               {"A1 NO [AUTHENTICATIONFAILED] wrong password Echoed-Pa55 for alice\r\n"});
   TestHost host;
   auto outcome = host.run("Email.Connect", test::loopback_bag(server.port(), "IMAP", "alice", "Echoed-Pa55")
                                                .set("use_secure_connection", false)
                                                .str());
   CHECK(outcome.status == RPA_AUTHENTICATION_FAILED);
   CHECK(outcome.message.find("Echoed-Pa55") == std::string::npos);
   CHECK(outcome.message.find("wrong password ****") != std::string::npos);
   CHECK(host.logged("IMAP S: A1 NO [AUTHENTICATIONFAILED] wrong password ****"));
   for (const std::string &line : host.logs()) CHECK(line.find("Echoed-Pa55") == std::string::npos);
}
}  // TEST_SUITE("imap")

TEST_SUITE("imap") {
TEST_CASE("AUTHENTICATE PLAIN waits for the go-ahead when the server lacks SASL-IR") {
   test::ScriptedServer server(
       "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n",
       {"+ \r\n", "A1 OK [CAPABILITY IMAP4rev1 MOVE] welcome\r\n", "* BYE bye\r\nA2 OK done\r\n"});
   TestHost host;
   auto outcome = host.run(
       "Email.Connect",
       test::loopback_bag(server.port(), "IMAP", "user", "pass").set("use_secure_connection", false).str());
   REQUIRE_MESSAGE(outcome.ok(), outcome.message);
   CHECK(session_of(outcome)["round_trips"].GetUint64() == 2);
   host.sessions().clear();
   auto received = server.received();
   REQUIRE(received.size() >= 2);
   CHECK(received[0] == "A1 AUTHENTICATE PLAIN");
   CHECK(received[1] == "AHVzZXIAcGFzcw==");
}
namespace {

// A server in the manner of NetEase 163/126 mail: it refuses SELECT and LIST ("Unsafe Login")
// until the client has identified itself with ID (RFC 2971).
test::ScriptedServer::Responder id_requiring_server() {
   auto identified = std::make_shared<bool>(false);
   return test::ScriptedServer::Responder([identified](const std::string &line) -> std::string {
      const std::string tag = line.substr(0, line.find(' '));
      const std::string rest = line.substr(line.find(' ') + 1);
      const std::string command = rest.substr(0, rest.find(' '));
      if (command == "ID") {
         *identified = true;
         return "* ID (\"name\" \"Coremail Imap\" \"vendor\" \"Mailtech\" \"TransID\" NIL)\r\n" + tag +
                " OK ID completed\r\n";
      }
      if (command == "LOGIN") return tag + " OK [CAPABILITY IMAP4rev1 ID] LOGIN completed\r\n";
      if (command == "LIST" || command == "SELECT")
         return *identified
                    ? "* LIST (\\HasNoChildren) \"/\" INBOX\r\n" + tag + " OK LIST completed\r\n"
                    : tag + " NO " + command + " Unsafe Login. Please contact kefu@188.com for help\r\n";
      if (command == "LOGOUT") return "* BYE bye\r\n" + tag + " OK LOGOUT completed\r\n";
      return tag + " BAD unknown command\r\n";
   });
}

const char *kCoremailGreeting = "* OK [CAPABILITY IMAP4rev1 ID] Coremail System IMap Server Ready\r\n";

}  // namespace

TEST_CASE("IMAP ID: a server that refuses LIST until the client identifies itself - ID costs no round trip") {
   test::ScriptedServer server(kCoremailGreeting, id_requiring_server());
   TestHost host;
   auto connected =
       host.run("Email.Connect", test::plain_loopback_bag(server.port(), "IMAP", "alice", 10).str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   auto info = session_of(connected);
   CHECK(info["round_trips"].GetUint64() == 1);  // ID went in the same write as LOGIN
   CHECK(std::string(info["server_id"]["vendor"].GetString()) == "Mailtech");
   CHECK(info["server_id"]["TransID"].IsNull());
   auto listed = host.run("Sibling.ListFolders", "{}");
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   CHECK(test::contains(test::folders_of(listed), "INBOX"));
   host.sessions().clear();
   auto received = server.received();
   REQUIRE(received.size() >= 2);
   CHECK(received[0] == "A1 ID (\"name\" \"RPA Email plugin\" \"version\" \"" EMAIL_PLUGIN_VERSION "\")");
   CHECK(received[1].rfind("A2 LOGIN ", 0) == 0);
}

TEST_CASE("IMAP ID: a server that advertises ID but answers BAD to it - Connect goes on and says so") {
   test::ScriptedServer server(kCoremailGreeting,
                               test::ScriptedServer::Responder([](const std::string &line) -> std::string {
                                  const std::string tag = line.substr(0, line.find(' '));
                                  const std::string rest = line.substr(line.find(' ') + 1);
                                  const std::string command = rest.substr(0, rest.find(' '));
                                  if (command == "ID") return tag + " BAD ID arguments not understood\r\n";
                                  if (command == "LOGIN")
                                     return tag + " OK [CAPABILITY IMAP4rev1 ID] LOGIN completed\r\n";
                                  if (command == "LIST")
                                     return "* LIST () \"/\" INBOX\r\n" + tag + " OK LIST completed\r\n";
                                  if (command == "LOGOUT")
                                     return "* BYE bye\r\n" + tag + " OK LOGOUT completed\r\n";
                                  return tag + " BAD unknown command\r\n";
                               }));
   TestHost host;
   auto connected =
       host.run("Email.Connect", test::plain_loopback_bag(server.port(), "IMAP", "alice", 10).str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK_FALSE(session_of(connected).HasMember("server_id"));
   CHECK(host.logged("did not take the client's ID"));
   CHECK(host.logged("ID arguments not understood"));
   auto listed = host.run("Sibling.ListFolders", "{}");
   CHECK_MESSAGE(listed.ok(), listed.message);
}

TEST_CASE("IMAP ID: imap_id false sends nothing - an object sends its own fields - bad fields are named") {
   {
      test::ScriptedServer server(kCoremailGreeting, id_requiring_server());
      TestHost host;
      auto connected =
          host.run("Email.Connect",
                   test::plain_loopback_bag(server.port(), "IMAP", "alice", 10).set("imap_id", false).str());
      REQUIRE_MESSAGE(connected.ok(), connected.message);
      CHECK_FALSE(session_of(connected).HasMember("server_id"));
      auto listed = host.run("Sibling.ListFolders", "{}");
      CHECK_FALSE(listed.ok());  // the server's rule, shown in its own words
      CHECK(test::has(listed.message, "Unsafe Login"));
      host.sessions().clear();
      for (const std::string &line : server.received()) CHECK(line.find(" ID ") == std::string::npos);
   }
   {
      test::ScriptedServer server(kCoremailGreeting, id_requiring_server());
      TestHost host;
      JsonBag bag = test::plain_loopback_bag(server.port(), "IMAP", "alice", 10);
      auto connected = host.run(
          "Email.Connect",
          bag.set("imap_id", test::RawJson{R"({"name":"Invoice bot","contact":"it@example.com"})"}).str());
      REQUIRE_MESSAGE(connected.ok(), connected.message);
      host.sessions().clear();
      auto received = server.received();
      REQUIRE_FALSE(received.empty());
      CHECK(received[0] == "A1 ID (\"name\" \"Invoice bot\" \"contact\" \"it@example.com\")");
   }
   TestHost host;
   auto control = host.run("Email.Connect", test::plain_loopback_bag(1, "IMAP", "alice", 10)
                                                .set("imap_id", test::RawJson{R"({"name\n":"x"})"})
                                                .str());
   CHECK(control.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(control.message, "imap_id: field"));
   auto shape = host.run("Email.Connect",
                         test::plain_loopback_bag(1, "IMAP", "alice", 10).set("imap_id", "yes").str());
   CHECK(shape.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(shape.message, "imap_id must be an object of at most 30 text fields"));
}

TEST_CASE("Another mailbox with a password needs SASL PLAIN: a LOGIN-only server gets no password") {
   test::ScriptedServer server("* OK [CAPABILITY IMAP4rev1] hi\r\n", std::vector<std::string>{});
   TestHost host;
   auto outcome =
       host.run("Email.Connect",
                test::plain_loopback_bag(server.port(), "IMAP", "robot", 10).set("mailbox", "dave").str());
   CHECK(outcome.status == RPA_UNSUPPORTED);
   CHECK(test::has(outcome.message, "does not offer SASL PLAIN, the only way to name another mailbox"));
   for (const std::string &line : server.received()) CHECK(line.find("LOGIN") == std::string::npos);
}

}  // TEST_SUITE("imap")
