// Microsoft 365 through Microsoft Graph (connection "microsoft365") against the Graph test peer
// (tests/peers/graph) and the identity peer: delegated and app-only sign-in, shared mailboxes,
// folders with paging, the documented errors and throttling.
#include <rapidjson/document.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "connect_helpers.h"
#include "headless_browser.h"
#include "oauth_helpers.h"

using test::JsonBag;
using test::TestHost;

TEST_SUITE("graph") {

TEST_CASE("Graph delegated: the password grant - the inbox verified - folders as paths over several pages") {
   TestHost host;
   auto connected = host.run("Email.Connect", test::graph_bag("alice@contoso.test").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   auto info = test::session_of(connected);
   CHECK(std::string(info["protocol"].GetString()) == "Graph");
   CHECK(std::string(info["login_method"].GetString()) == "Bearer");
   CHECK(host.logged("Graph: opened the mailbox \"alice@contoso.test\""));
   CHECK(host.logged("/v1.0/me/mailFolders/inbox"));
   auto listed = host.run("Sibling.ListFolders", "{}");
   REQUIRE_MESSAGE(listed.ok(), listed.message);
   auto folders = test::folders_of(listed);
   CHECK(folders.size() == 18);  // 16 at the top: two pages of at most 10
   CHECK(test::contains(folders, "Inbox"));
   CHECK(test::contains(folders, "F10"));
   CHECK(test::contains(folders, "Inbox/Projects/日本語"));
   CHECK(host.logged("skip=10"));  // the second page came from @odata.nextLink
   CHECK(host.run("Email.Disconnect", "{}").ok());
   test::check_no_secret_leaked(host, connected.message, connected.result_json);
}

TEST_CASE("Graph app-only: client credentials open the named mailbox through /users") {
   TestHost host;
   auto connected = host.run("Email.Connect", test::graph_app_bag("shared@contoso.test").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("/v1.0/users/shared@contoso.test/mailFolders/inbox"));
   CHECK(std::string(test::session_of(connected)["login_method"].GetString()) == "Bearer (app-only)");
   CHECK(test::folders_of(host.run("Sibling.ListFolders", "{}")).size() == 4);
}

TEST_CASE("Graph app-only with a certificate: a signed client assertion from a PEM file or from the vault") {
   const test::DovecotPeer &peer = test::DovecotPeer::get();
   const std::string credential_file = peer.value("PEER_APP_CREDENTIAL");
   TestHost host;
   auto from_file =
       host.run("Email.Connect", test::graph_certificate_bag("shared@contoso.test", credential_file)
                                     .set("session_name", "From file")
                                     .str());
   REQUIRE_MESSAGE(from_file.ok(), from_file.message);
   CHECK(host.logged("/v1.0/users/shared@contoso.test/mailFolders/inbox"));
   CHECK(host.logged("(client credentials, client " + test::IdentityPeer::get().certificate_client()));

   // The PEM text in the Credential Vault, as a designer would keep it.
   const std::string pem = test::read_file(credential_file);
   TestHost vaulted_host;
   vaulted_host.vault().set("Apps", "Graph robot", "certificate", rpa::SecretString(pem));
   auto from_vault = vaulted_host.run(
       "Email.Connect",
       test::graph_certificate_bag("dave@contoso.test", "")
           .set("client_certificate", JsonBag::credential("Apps", "Graph robot", "certificate"))
           .str());
   REQUIRE_MESSAGE(from_vault.ok(), from_vault.message);
   CHECK(test::folders_of(vaulted_host.run("Sibling.ListFolders", "{}")).size() > 2);

   // Nothing of the key in messages, results or logs.
   // The first line of the key's base64 (the fixture writes the certificate, then the key).
   const std::string key_line = pem.substr(pem.find('\n', pem.rfind("-----BEGIN ")) + 1, 40);
   for (const TestHost *each : {&host, &vaulted_host})
      for (const std::string &line : each->logs())
         CHECK_MESSAGE(!test::has(line, key_line), "key in a log line");
   CHECK(!test::has(from_file.result_json + from_vault.result_json, key_line));
}

TEST_CASE(
    "Graph app-only certificate errors: an unregistered certificate - no key - no file - neither secret nor "
    "certificate") {
   const test::DovecotPeer &peer = test::DovecotPeer::get();
   TestHost host;
   auto unregistered = host.run(
       "Email.Connect",
       test::graph_certificate_bag("shared@contoso.test", peer.value("PEER_OTHER_APP_CREDENTIAL")).str());
   CHECK(unregistered.status == RPA_AUTHENTICATION_FAILED);
   CHECK(test::has(unregistered.message, "does not accept the certificate in client_certificate"));
   CHECK(test::has(unregistered.message, "AADSTS700027"));

   // The CA file is a certificate without its key.
   auto no_key =
       host.run("Email.Connect", test::graph_certificate_bag("shared@contoso.test", peer.ca_file()).str());
   CHECK(no_key.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(no_key.message, "client_certificate: holds no PEM private key"));
   auto no_file = host.run("Email.Connect",
                           test::graph_certificate_bag("shared@contoso.test", "/nonexistent/app.pem").str());
   CHECK(no_file.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(no_file.message, "cannot open the certificate file \"/nonexistent/app.pem\""));
   auto neither =
       host.run("Email.Connect", test::graph_app_bag("shared@contoso.test").erase("client_secret").str());
   CHECK(neither.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(neither.message, "client_secret or client_certificate is required when"));
   // The secret client has no certificate registered: Entra's 700027 too.
   auto secret_client =
       host.run("Email.Connect", test::graph_app_bag("shared@contoso.test")
                                     .erase("client_secret")
                                     .set("client_certificate", peer.value("PEER_APP_CREDENTIAL"))
                                     .str());
   CHECK(secret_client.status == RPA_AUTHENTICATION_FAILED);
   CHECK(test::has(secret_client.message, "AADSTS700027"));
   CHECK(host.sessions().names().empty());
}

TEST_CASE("Graph sessions on one mailbox keep at most 4 requests in flight - Outlook's per-mailbox limit") {
   // Ten sessions of one app on one mailbox, each connecting and listing folders at once; the
   // peer answers every request after 300 ms and counts how many it serves at the same time.
   constexpr int kSessions = 10;
   // (A generous timeout: the test is about concurrency, not speed; sanitizer builds are slow.)
   std::atomic<int> connected{0}, listed{0};
   std::mutex failures_mutex;
   std::vector<std::string> failures;
   std::vector<std::thread> bots;
   for (int i = 0; i < kSessions; ++i)
      bots.emplace_back([&, i] {
         TestHost host;
         const std::string name = "Slow " + std::to_string(i);
         auto connect = host.run("Email.Connect", test::graph_app_bag("slow@contoso.test")
                                                      .set("session_name", name)
                                                      .set("timeout_seconds", 300)
                                                      .str());
         auto list =
             connect.ok() ? host.run("Sibling.ListFolders", "{\"session_name\":\"" + name + "\"}") : connect;
         connected += connect.ok() ? 1 : 0;
         listed += list.ok() ? 1 : 0;
         std::lock_guard<std::mutex> lock(failures_mutex);
         if (!list.ok()) failures.push_back(list.message);
      });
   for (std::thread &bot : bots) bot.join();
   CHECK_MESSAGE(connected == kSessions, (failures.empty() ? std::string() : failures.front()));
   CHECK(listed == kSessions);
   rapidjson::Document stats;
   stats.Parse(test::https_get(test::DovecotPeer::get().value("PEER_GRAPH_URL") + "/test/stats").c_str());
   REQUIRE(stats.IsObject());
   const int most = stats["max_in_flight"]["slow@contoso.test"].GetInt();
   CHECK(most <= 4);  // never over Outlook's limit: no request was refused for concurrency
   CHECK(most >= 2);  // and the sessions did run side by side
   CHECK(stats["concurrency_refusals"].GetInt() == 0);
   // Each listing asked for the six well-known folders in JSON batches (two each: at most 4
   // requests, which hold 4 of the mailbox's slots), and still nothing went over the limit.
   REQUIRE(stats.HasMember("batches"));
   CHECK(stats["batches"].GetInt() >= 2 * kSessions);
}

TEST_CASE(
    "Graph: Authorize once asks for Mail.ReadWrite, Mail.Send and offline_access - then a runner connects "
    "with no "
    "password") {
   const std::string path = test::unused_temp_path("rpa-test-graph-vault");
   // tenant_id as the tenant's domain: a grant of its own, whatever earlier tests in this process cached
   const std::string bag =
       test::graph_bag("alice@contoso.test").erase("password").set("tenant_id", "contoso.test").str();
   {
      TestHost designer(true, path);
      auto authorized = designer.run("Email.Authorize", bag);
      REQUIRE_MESSAGE(authorized.ok(), authorized.message);
      REQUIRE(designer.browser().opened().size() == 1);
      const std::string url = designer.browser().opened()[0];
      CHECK(test::has(url, "code_challenge_method=S256"));
      CHECK(test::has(url,
                      "%2FMail.ReadWrite%20https%3A%2F%2Fgraph.microsoft.com%2FMail.Send%20offline_access"));
      CHECK_FALSE(test::has(url, "Mail.ReadWrite.Shared"));  // the user's own mailbox
   }
   {
      TestHost runner(true, path);
      auto connected = runner.run("Email.Connect", bag);
      REQUIRE_MESSAGE(connected.ok(), connected.message);
      CHECK(runner.browser().opened().empty());  // silent: the stored refresh token
      CHECK(runner.logged("/v1.0/me/mailFolders/inbox"));
   }
   std::remove(path.c_str());
}

TEST_CASE("Graph delegated with another mailbox asks for Mail.ReadWrite.Shared and opens it") {
   TestHost host;
   auto connected = host.run(
       "Email.Connect", test::graph_bag("alice@contoso.test").set("mailbox", "Shared@Contoso.test").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("Graph: opened the mailbox \"shared@contoso.test\""));
   CHECK(host.logged("/v1.0/users/shared@contoso.test/mailFolders/inbox"));
   auto info = test::session_of(connected);  // both the sign-in user and the mailbox
   CHECK(std::string(info["user"].GetString()) == "alice@contoso.test");
   CHECK(std::string(info["mailbox"].GetString()) == "shared@contoso.test");
}

TEST_CASE("Graph errors: no such mailbox - not in Exchange Online - access denied names the permission") {
   TestHost host;
   auto unknown = host.run("Email.Connect", test::graph_app_bag("nobody@contoso.test").str());
   CHECK(unknown.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(unknown.message, "username: \"nobody@contoso.test\" is not a mailbox in Exchange Online"));
   CHECK(test::has(unknown.message, "ErrorInvalidUser"));
   auto onprem = host.run("Email.Connect",
                          test::graph_bag("alice@contoso.test").set("mailbox", "onprem@contoso.test").str());
   CHECK(onprem.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(onprem.message, "mailbox: \"onprem@contoso.test\""));
   CHECK(test::has(onprem.message, "MailboxNotEnabledForRESTAPI"));
   CHECK(test::has(onprem.message, "use connection \"ews\""));
   auto denied = host.run("Email.Connect", test::graph_app_bag("denied@contoso.test").str());
   CHECK(denied.status == RPA_AUTHENTICATION_FAILED);
   CHECK(test::has(denied.message, "application permission Mail.ReadWrite"));
   CHECK(test::has(denied.message, "RBAC for Applications"));
   CHECK(host.sessions().names().empty());
   // A fresh vault: a refresh token the earlier delegated sign-ins stored would sign in silently.
   TestHost fresh;
   auto wrong =
       fresh.run("Email.Connect", test::graph_bag("alice@contoso.test").set("password", "not it").str());
   CHECK(wrong.status == RPA_AUTHENTICATION_FAILED);
   CHECK(test::has(wrong.message, "AADSTS50126"));
}

TEST_CASE(
    "Graph throttling: Retry-After is waited out once - and a mailbox that stays throttled is throttled") {
   TestHost host;
   auto connected = host.run("Email.Connect", test::graph_app_bag("busy@contoso.test").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("is throttling (HTTP 429); retrying in 1000 ms as it asked"));
   auto always = host.run("Email.Connect", test::graph_app_bag("always-busy@contoso.test")
                                               .set("session_name", "Busy")
                                               .set("timeout_seconds", 10)
                                               .str());
   // Retry-After 30 s does not fit in 10: throttled at once, saying when to retry.
   CHECK(always.status == RPA_THROTTLED);
   CHECK(test::has(always.message, "retry after 30000 ms"));
}

TEST_CASE("Graph 503 with Retry-After as an HTTP-date is waited out - a revoked token is refreshed once") {
   TestHost host;
   auto connected = host.run("Email.Connect", test::graph_app_bag("unavailable@contoso.test").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   // The peer's date is 2 s ahead, to the second: a wait of 1 or 2 s, as the date asked (not the
   // 1 s the plugin falls back to without a header it can read).
   CHECK((host.logged("is throttling (HTTP 503); retrying in 1000 ms as it asked") ||
          host.logged("is throttling (HTTP 503); retrying in 2000 ms as it asked")));
   CHECK(host.run("Email.Disconnect", "{}").ok());

   TestHost fresh;  // the first request to this mailbox is refused: its token was revoked
   auto refreshed = fresh.run("Email.Connect", test::graph_app_bag("revoked@contoso.test").str());
   REQUIRE_MESSAGE(refreshed.ok(), refreshed.message);
   CHECK(fresh.logged("Graph: the server refused the access token; getting a fresh one"));
   CHECK(fresh.logged("Graph: opened the mailbox \"revoked@contoso.test\""));
   test::check_no_secret_leaked(fresh, refreshed.message, refreshed.result_json);
}

TEST_CASE(
    "A hostile Graph server: answers nested 300,000 deep or not a folder are a protocol_error - the host "
    "lives") {
   TestHost host;
   // 400 with an error object nested 300,000 deep: RapidJSON's recursive parser overflowed the stack.
   auto deep_error = host.run("Email.Connect", test::graph_app_bag("deep-error@contoso.test").str());
   CHECK(deep_error.status == RPA_PROTOCOL_ERROR);
   CHECK(test::has(deep_error.message, "Microsoft Graph at "));
   CHECK(test::has(deep_error.message,
                   "answered the request for the inbox with HTTP 400, and a body that is "
                   "not a Graph error: \"{\"error\":{\"innerError\":"));
   // 200 with [[[[]]]] instead of a mail folder was "connected".
   auto not_a_folder = host.run("Email.Connect", test::graph_app_bag("not-a-folder@contoso.test").str());
   CHECK(not_a_folder.status == RPA_PROTOCOL_ERROR);
   CHECK(test::has(not_a_folder.message,
                   "answered the request for the inbox with something that is not a mail "
                   "folder (an object with an id): \"[[[[]]]]\" (8 bytes)"));
   auto deep_folder = host.run("Email.Connect", test::graph_app_bag("deep-folder@contoso.test").str());
   CHECK(deep_folder.status == RPA_PROTOCOL_ERROR);
   CHECK(test::has(deep_folder.message, "(600000 bytes)"));
   CHECK(host.sessions().names().empty());

   // Lists nested 300,000 deep after a real inbox: each list is refused, the session stays usable.
   auto connected = host.run("Email.Connect", test::graph_app_bag("deep-lists@contoso.test").str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   auto folders = host.run("Sibling.ListFolders", "{}");
   CHECK(folders.status == RPA_PROTOCOL_ERROR);
   CHECK(test::has(folders.message, "answered the folder list with something that is not a collection"));
   auto mailbox_folders = host.run("Sibling.MailboxFolders", "{}");
   CHECK(mailbox_folders.status == RPA_PROTOCOL_ERROR);
   auto messages = host.run("Sibling.ListMessages", R"({"folder":"Projects"})");  // a path: the list first
   CHECK(messages.status == RPA_PROTOCOL_ERROR);
   CHECK(test::has(messages.message, "Microsoft Graph at "));
   auto inbox = host.run("Sibling.ListMessages", "{}");  // a role needs no list: the inbox is real
   CHECK_MESSAGE(inbox.ok(), inbox.message);
   // Folders are real, a message list holds an object nested 300,000 deep.
   auto deep_messages = host.run(
       "Email.Connect", test::graph_app_bag("deep-messages@contoso.test").set("session_name", "Deep").str());
   REQUIRE_MESSAGE(deep_messages.ok(), deep_messages.message);
   // The inbox's first page comes in the batch that looks the inbox up: the whole batch is refused.
   auto batched = host.run("Sibling.ListMessages", R"({"session_name":"Deep"})");
   CHECK(batched.status == RPA_PROTOCOL_ERROR);
   CHECK(test::has(batched.message,
                   "answered a JSON batch for a well-known folder with something that is "
                   "not a batch's answer: \"{\"responses\":"));
   // Once the folders are listed, the page is asked for alone.
   auto listed = host.run("Sibling.ListFolders", R"({"session_name":"Deep"})");
   CHECK_MESSAGE(listed.ok(), listed.message);
   auto page = host.run("Sibling.ListMessages", R"({"session_name":"Deep"})");
   CHECK(page.status == RPA_PROTOCOL_ERROR);
   CHECK(test::has(page.message, "answered the message list with something that is not a collection"));
   CHECK(test::has(page.message, "{\"value\":[{\"error\":{\"innerError\":"));

   // A token endpoint answering 200 with a token response nested 300,000 deep.
   auto deep_token =
       host.run("Email.Connect", test::graph_app_bag("alice@contoso.test")
                                     .set("session_name", "Token")
                                     .set("authority", test::DovecotPeer::get().value("PEER_GRAPH_URL"))
                                     .set("tenant_id", "deep-token")
                                     .str());
   CHECK(deep_token.status == RPA_PROTOCOL_ERROR);
   CHECK(test::has(deep_token.message, "with something that is not JSON (nested deeper than 64 levels"));

   // Still alive and well: a real mailbox connects in the same host.
   auto alive =
       host.run("Email.Connect", test::graph_app_bag("erin@contoso.test").set("session_name", "Alive").str());
   CHECK_MESSAGE(alive.ok(), alive.message);
}

TEST_CASE("a token endpoint that throttles (HTTP 429, Retry-After) is waited out like any service") {
   TestHost host;
   auto connected =
       host.run("Email.Connect",
                test::graph_app_bag("alice@contoso.test")
                    .set("authority", test::DovecotPeer::get().value("PEER_GRAPH_URL") + "/busy-token")
                    .str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(host.logged("is throttling (HTTP 429); retrying in 1000 ms as it asked"));
   test::check_no_secret_leaked(host, connected.message, connected.result_json);
}

TEST_CASE("Graph bags: only OAuth2 - https endpoints only - a reference to nothing is message_not_found") {
   TestHost host;
   auto basic =
       host.run("Email.Connect", test::graph_bag("alice@contoso.test").set("auth_type", "basic").str());
   CHECK(basic.status == RPA_INVALID_PROPERTIES);
   auto plain = host.run("Email.Connect",
                         test::graph_bag("alice@contoso.test").set("graph_url", "http://localhost:1").str());
   CHECK(plain.status == RPA_INVALID_PROPERTIES);
   CHECK(test::has(plain.message, "graph_url"));
   REQUIRE(host.run("Email.Connect", test::graph_bag("alice@contoso.test").str()).ok());
   auto listed = host.run("Sibling.ListMessages", "{}");
   REQUIRE_MESSAGE(listed.ok(), listed.message);  // alice's inbox on the peer is empty
   auto flags = host.run("Sibling.SetFlags", R"({"ref":"graph:AAMkAD","seen":true})");
   CHECK(flags.status == RPA_MESSAGE_NOT_FOUND);
   CHECK(test::has(flags.message, "has no such message any more"));
   CHECK(test::has(flags.message, "ErrorItemNotFound"));
   // A spooled download (/$value) that is answered with an error reads the error body all the same.
   const std::string file = test::unused_temp_path("rpa-never-written") + ".eml";
   auto fetched = host.run("Sibling.Fetch", JsonBag().set("ref", "graph:AAMkAD").set("file", file).str());
   CHECK(fetched.status == RPA_MESSAGE_NOT_FOUND);
   CHECK(test::has(fetched.message, "ErrorItemNotFound"));
   CHECK_FALSE(std::filesystem::exists(file));
}

}  // TEST_SUITE("graph")
