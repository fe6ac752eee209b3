// The rpa-host command line, run as a separate process: actions, schema, vault, run with --json,
// exit codes, and no secret in any output.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "connect_helpers.h"
#include "oauth_helpers.h"
#include "files.h"
#include "test_paths.h"

using test::DovecotPeer;
using test::JsonBag;

namespace {

struct Run {
   int exit_code = -1;
   std::string out, err;
};

class CliFixture {
 public:
   CliFixture() {
      char name[] = "/tmp/rpa-cli-test.XXXXXX";
      dir_ = ::mkdtemp(name);
      ::setenv("RPA_VAULT_PASSPHRASE", "cli test passphrase", 1);  // environment, never argv
   }
   ~CliFixture() {
      ::unsetenv("RPA_VAULT_PASSPHRASE");
      std::system(("rm -rf '" + dir_ + "'").c_str());
   }
   std::string path(const std::string &name) const { return dir_ + "/" + name; }
   void write(const std::string &name, const std::string &text) const {
      std::ofstream(path(name), std::ios::binary) << text;
   }
   // Runs rpa-host with `args` (no secrets in them), stdin from `stdin_file` if given.
   Run host(const std::string &args, const std::string &stdin_file = "/dev/null") const {
      const std::string command = std::string("'") + RPA_TEST_HOST_EXECUTABLE + "' --plugins '" +
                                  RPA_TEST_PLUGIN_DIR + "' --plugins '" + RPA_TEST_SIBLING_PLUGIN_DIR +
                                  "' --vault '" + path("vault.json") + "' " + args + " < '" + stdin_file +
                                  "' > '" + path("out") + "' 2> '" + path("err") + "'";
      Run run;
      int status = std::system(command.c_str());
      run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      run.out = read(path("out"));
      run.err = read(path("err"));
      return run;
   }
   static std::string read(const std::string &file) { return test::read_file(file); }

 private:
   std::string dir_;
};

std::vector<rapidjson::Document> json_lines(const std::string &out) {
   std::vector<rapidjson::Document> lines;
   std::istringstream stream(out);
   std::string line;
   while (std::getline(stream, line)) {
      lines.emplace_back();
      lines.back().Parse(line.c_str());
      REQUIRE_MESSAGE(lines.back().IsObject(), line);
   }
   return lines;
}

}  // namespace

TEST_SUITE("cli") {

TEST_CASE("actions and schema") {
   CliFixture cli;
   Run actions = cli.host("actions");
   CHECK(actions.exit_code == 0);
   CHECK(actions.out.find("Email.Connect\temail.connect/1\tConnect / 接続") != std::string::npos);
   CHECK(actions.out.find("Sibling.ListFolders") != std::string::npos);
   Run json = cli.host("--json actions");
   rapidjson::Document list;
   list.Parse(json.out.c_str());
   REQUIRE(list.IsArray());
   CHECK(std::string(list[0]["label"]["ja"].GetString()) == "接続");
   Run schema = cli.host("schema Email.Connect");
   CHECK(schema.exit_code == 0);
   rapidjson::Document parsed;
   parsed.Parse(schema.out.c_str());
   CHECK(std::string(parsed["id"].GetString()) == "email.connect/1");
   CHECK(cli.host("schema Email.Nothing").exit_code == 1);
   // Without --plugins, rpa-host loads ../plugins next to its executable.
   const std::string bare =
       std::string("'") + RPA_TEST_HOST_EXECUTABLE + "' actions > '" + cli.path("out") + "' 2>&1";
   CHECK(std::system(bare.c_str()) == 0);
   const std::string listed = CliFixture::read(cli.path("out"));
   CHECK(listed.find("Email.Connect") != std::string::npos);
   CHECK(listed.find("Sibling.ListFolders") == std::string::npos);
   CHECK(cli.host("frobnicate").exit_code == 2);
   CHECK(cli.host("--no-such-option actions").exit_code == 2);
}

TEST_CASE("a bot connects with vault credentials - lists folders through the sibling - disconnects") {
   CliFixture cli;
   const DovecotPeer &peer = DovecotPeer::get();
   Run stored = cli.host("vault set Mail alice password", peer.value("PEER_ALICE_PASSWORD_FILE"));
   REQUIRE_MESSAGE(stored.exit_code == 0, stored.err);
   Run listed = cli.host("vault list");
   CHECK(listed.out == "Mail/alice/password\n");
   CHECK(CliFixture::read(cli.path("vault.json")).find(peer.password("alice")) == std::string::npos);

   auto connect = test::peer_bag("IMAP", "PEER_IMAPS_PORT")
                      .set("password", JsonBag::credential("Mail", "alice", "password"));
   cli.write("bot.json", "{\"steps\":[{\"action\":\"Email.Connect\",\"properties\":" + connect.str() +
                             "},{\"action\":\"Sibling.ListFolders\",\"properties\":{}},"
                             "{\"action\":\"Email.Disconnect\",\"properties\":{}}]}");
   Run run = cli.host("--json --verbose run '" + cli.path("bot.json") + "'");
   CHECK_MESSAGE(run.exit_code == 0, run.out << run.err);
   auto lines = json_lines(run.out);
   REQUIRE(lines.size() == 3);
   for (std::size_t i = 0; i < 3; ++i) {
      CHECK(lines[i]["step"].GetInt() == static_cast<int>(i + 1));
      CHECK(std::string(lines[i]["status"].GetString()) == "ok");
      CHECK(std::string(lines[i]["code"].GetString()) == "ok");
   }
   CHECK(std::string(lines[1]["action"].GetString()) == "Sibling.ListFolders");
   CHECK(lines[1]["result"]["folders"].Size() >= 5);
   CHECK(run.err.find("IMAP C: A2 AUTHENTICATE PLAIN ****") != std::string::npos);  // --verbose traces
   CHECK(run.out.find(peer.password("alice")) == std::string::npos);
   CHECK(run.err.find(peer.password("alice")) == std::string::npos);
}

TEST_CASE("a failed step stops the bot with exit 1 and a bad bot file is exit 2") {
   CliFixture cli;
   auto wrong = test::peer_bag("IMAP", "PEER_IMAPS_PORT").set("password", "Not-The-Password-42");
   cli.write("bot.json", "{\"steps\":[{\"action\":\"Email.Connect\",\"properties\":" + wrong.str() +
                             "},{\"action\":\"Email.Disconnect\"}]}");
   Run run = cli.host("--json --verbose run '" + cli.path("bot.json") + "'");
   CHECK(run.exit_code == 1);
   auto lines = json_lines(run.out);
   REQUIRE(lines.size() == 1);
   CHECK(std::string(lines[0]["status"].GetString()) == "error");
   CHECK(std::string(lines[0]["code"].GetString()) == "authentication_failed");
   CHECK(run.out.find("Not-The-Password-42") == std::string::npos);
   CHECK(run.err.find("Not-The-Password-42") == std::string::npos);

   Run readable = cli.host("run '" + cli.path("bot.json") + "'");
   CHECK(readable.exit_code == 1);
   CHECK(readable.out.find("[1] Email.Connect: error (authentication_failed) - authentication failed") == 0);

   cli.write("broken.json", "{\"steps\": [");
   CHECK(cli.host("run '" + cli.path("broken.json") + "'").exit_code == 2);
   cli.write("unknown.json", R"({"steps":[{"action":"Email.Teleport"}]})");
   Run unknown = cli.host("run '" + cli.path("unknown.json") + "'");
   CHECK(unknown.exit_code == 2);
   CHECK(unknown.err.find("Email.Teleport") != std::string::npos);
   CHECK(cli.host("run '" + cli.path("missing.json") + "'").exit_code == 2);
}

TEST_CASE("an action name with a line break is exit 2 - no forged log line") {
   CliFixture cli;
   cli.write("forged.json", R"({"steps":[{"action":"Email.Connect\r\n[INFO] forged"}]})");
   Run forged = cli.host("run '" + cli.path("forged.json") + "'");
   CHECK(forged.exit_code == 2);
   CHECK(forged.err.find("holds control characters") != std::string::npos);
   CHECK(forged.err.find("[INFO] forged") == std::string::npos);
}

TEST_CASE("a bot file nested 300 000 deep is exit 2 with a clear error - not a crash") {
   CliFixture cli;
   cli.write("deep.json", "{\"steps\":" + std::string(300000, '[') + std::string(300000, ']') + "}");
   Run deep = cli.host("run '" + cli.path("deep.json") + "'");
   CHECK(deep.exit_code == 2);
   CHECK(deep.err.find("nested deeper than 64 levels") != std::string::npos);
}

TEST_CASE("the vault refuses a wrong passphrase and removes entries") {
   CliFixture cli;
   cli.write("value", "s3cret\n");
   REQUIRE(cli.host("vault set L C A", cli.path("value")).exit_code == 0);
   ::setenv("RPA_VAULT_PASSPHRASE", "wrong", 1);
   Run wrong = cli.host("vault list");
   CHECK(wrong.exit_code == 1);
   CHECK(wrong.err.find("passphrase is wrong") != std::string::npos);
   ::setenv("RPA_VAULT_PASSPHRASE", "cli test passphrase", 1);
   CHECK(cli.host("vault rm L C A").exit_code == 0);
   CHECK(cli.host("vault list").out.empty());
   CHECK(cli.host("vault rm L").exit_code == 1);
   ::unsetenv("RPA_VAULT_PASSPHRASE");
   CHECK(cli.host("vault list").err.find("RPA_VAULT_PASSPHRASE") != std::string::npos);
}

}  // TEST_SUITE("cli")

// Ctrl-C while a step waits: the step ends as cancelled, and the process exits 130.
#include <signal.h>
#include <spawn.h>

#include <thread>

#include "silent_server.h"

extern char **environ;

namespace {

// Starts rpa-host with `args` (after the host itself), its standard output into `out` and its
// standard error into `err`; returns its pid.
pid_t spawn_host(const std::vector<std::string> &args, const std::string &out, const std::string &err) {
   posix_spawn_file_actions_t actions;
   posix_spawn_file_actions_init(&actions);
   posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
   posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
   std::vector<std::string> all = {RPA_TEST_HOST_EXECUTABLE};
   all.insert(all.end(), args.begin(), args.end());
   std::vector<char *> argv;
   for (auto &arg : all) argv.push_back(arg.data());
   argv.push_back(nullptr);
   pid_t pid = 0;
   const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
   posix_spawn_file_actions_destroy(&actions);
   REQUIRE(spawned == 0);
   return pid;
}

}  // namespace

TEST_SUITE("cli") {
TEST_CASE("Ctrl-C cancels the running step") {
   CliFixture cli;
   test::SilentServer server;
   cli.write("bot.json",
             "{\"steps\":[{\"action\":\"Email.Connect\",\"properties\":" +
                 test::loopback_bag(server.port(), "IMAP", "u", "p").set("timeout_seconds", 600).str() +
                 "}]}");
   const std::string out = cli.path("out"), bot = cli.path("bot.json");
   const pid_t pid = spawn_host({"--plugins", RPA_TEST_PLUGIN_DIR, "--json", "run", bot}, out, "/dev/null");
   // Interrupt once the step is waiting on the silent server (its connection is in the queue).
   REQUIRE(server.wait_for_connection(60000));
   ::kill(pid, SIGINT);
   int status = 0;
   REQUIRE(::waitpid(pid, &status, 0) == pid);
   REQUIRE(WIFEXITED(status));
   CHECK(WEXITSTATUS(status) == 130);
   auto lines = json_lines(CliFixture::read(out));
   REQUIRE(lines.size() == 1);
   CHECK(std::string(lines[0]["code"].GetString()) == "cancelled");
}

TEST_CASE("Ctrl-C ends a wait for new mail at once: rpa-host offers its cancel signal") {
   CliFixture cli;
   cli.write("bot.json",
             "{\"steps\":[{\"action\":\"Email.Connect\",\"properties\":" +
                 test::peer_bag("IMAP", "PEER_IMAPS_PORT", "ivan").str() +
                 "},{\"action\":\"Email.WaitForMessage\",\"properties\":{\"timeout_seconds\":300}}]}");
   const std::string out = cli.path("out"), err = cli.path("err"), bot = cli.path("bot.json");
   const pid_t pid =
       spawn_host({"--plugins", RPA_TEST_PLUGIN_DIR, "--json", "--verbose", "run", bot}, out, err);
   // Interrupt once the wait idles (IDLE sent, the alarm armed).
   bool idling = false;
   for (int i = 0; i < 600 && !idling; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const std::string said = CliFixture::read(err);
      idling = said.find("wakes this wait") != std::string::npos && said.find(" IDLE") != std::string::npos;
   }
   CHECK(idling);
   std::this_thread::sleep_for(std::chrono::milliseconds(300));
   const auto interrupted = std::chrono::steady_clock::now();
   ::kill(pid, SIGINT);
   int status = 0;
   REQUIRE(::waitpid(pid, &status, 0) == pid);
   CHECK(std::chrono::steady_clock::now() - interrupted < std::chrono::seconds(5));
   REQUIRE(WIFEXITED(status));
   CHECK(WEXITSTATUS(status) == 130);
   auto lines = json_lines(CliFixture::read(out));
   REQUIRE(lines.size() == 2);
   CHECK(std::string(lines[1]["code"].GetString()) == "cancelled");
   CHECK(CliFixture::read(err).find("the host offers no cancel signal") == std::string::npos);
}
}  // TEST_SUITE("cli")

TEST_SUITE("cli") {
TEST_CASE("rpa-host authorize prints the sign-in URL and keeps the sign-in in the vault") {
   CliFixture cli;
   JsonBag bag = test::ews_oauth2_bag("alice@contoso.test");
   cli.write("bag.json", bag.str());
   // In the background: the command waits for the browser to come back.
   std::thread authorize([&] {
      Run run = cli.host("authorize '" + cli.path("bag.json") + "'");
      CHECK(run.exit_code == 0);
      CHECK(run.out.find("authorized \"alice@contoso.test\"") != std::string::npos);
   });
   std::string url;
   for (int i = 0; i < 400 && url.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const std::string err = CliFixture::read(cli.path("err"));
      const std::size_t start = err.find("  https://");
      if (start != std::string::npos && err.find('\n', start) != std::string::npos)
         url = err.substr(start + 2, err.find('\n', start) - start - 2);
   }
   REQUIRE_MESSAGE(!url.empty(), "rpa-host printed no sign-in URL");
   CHECK(url.find("code_challenge_method=S256") != std::string::npos);
   test::HeadlessBrowser browser;  // the user, in a browser
   browser.visit(url);
   authorize.join();
   Run listed = cli.host("vault list");
   CHECK(listed.out.find("rpa.email.oauth2/") != std::string::npos);
   CHECK(listed.out.find("/refresh_token") != std::string::npos);

   // A bot on this machine now connects with no password.
   cli.write("bot.json", "{\"steps\":[{\"action\":\"Email.Connect\",\"properties\":" + bag.str() + "}]}");
   Run bot = cli.host("run '" + cli.path("bot.json") + "'");
   CHECK_MESSAGE(bot.exit_code == 0, std::string(bot.out + bot.err));
}

TEST_CASE("rpa-host authorize refuses a bag that is not OAuth2") {
   CliFixture cli;
   cli.write("bag.json", test::ews_basic_bag("alice@contoso.test").str());
   Run run = cli.host("authorize '" + cli.path("bag.json") + "'");
   CHECK(run.exit_code == 1);
   CHECK(run.err.find("Authorize is for auth_type \"oauth2\"") != std::string::npos);
   CHECK(run.err.find(test::IdentityPeer::get().ews_password("alice@contoso.test")) == std::string::npos);
}
TEST_CASE(
    "rpa-host migrate rewrites the example bot's Exchange Online EWS steps to Graph and keeps the others") {
   CliFixture cli;
   const std::string example = std::string(RPA_TEST_EXAMPLES_DIR) + "/exchange-online-bot.json";
   Run run = cli.host("migrate '" + example + "'");
   REQUIRE_MESSAGE(run.exit_code == 0, run.err);
   rapidjson::Document bot;
   bot.Parse(run.out.c_str());
   REQUIRE(bot.IsObject());
   CHECK(bot.HasMember("comment"));  // the file's other members are kept
   const auto &steps = bot["steps"];
   REQUIRE(steps.Size() == 9);
   auto props = [&](unsigned i) -> const rapidjson::Value & { return steps[i]["properties"]; };
   auto text = [&](unsigned i, const char *name) { return std::string(props(i)[name].GetString()); };

   // Delegated, blank domain (Office 365): Graph, same session, user, client, tenant and credential.
   CHECK(text(0, "connection") == "microsoft365");
   CHECK(text(0, "session_name") == "Sales inbox");
   CHECK(text(0, "username") == "sales@contoso.com");
   CHECK(text(0, "client_id") == "0d6f1a8e-4a5b-4c1e-9f3a-5c2b7e8d9a01");
   CHECK(std::string(props(0)["password"]["credential"]["name"].GetString()) == "sales");
   CHECK(props(0)["timeout_seconds"].GetInt() == 60);
   CHECK_FALSE(props(0).HasMember("domain"));
   CHECK_FALSE(props(0).HasMember("exchange_version"));
   CHECK_FALSE(props(0).HasMember("cloud"));
   // App-only at outlook.office365.com: the secret's vault reference carried over.
   CHECK(text(1, "connection") == "microsoft365");
   CHECK_FALSE(props(1).HasMember("ews_url"));
   CHECK(std::string(props(1)["client_secret"]["credential"]["attribute"].GetString()) == "secret");
   // GCC High: cloud "usgov", the authority and the certificate credential kept.
   CHECK(text(2, "connection") == "microsoft365");
   CHECK(text(2, "cloud") == "usgov");
   CHECK(text(2, "authority") == "https://login.microsoftonline.us");
   CHECK(props(2).HasMember("client_certificate"));
   // Left as they are: Basic, on-premises, Autodiscover; IMAP and the other actions untouched.
   for (unsigned i : {3u, 4u, 5u}) CHECK(text(i, "connection") == "ews");
   CHECK(text(4, "ews_url") == "https://mail.contoso.com/EWS/Exchange.asmx");
   CHECK(text(6, "connection") == "email_server");
   CHECK(std::string(steps[7]["action"].GetString()) == "Sibling.ListFolders");

   CHECK(test::has(run.err,
                   "step 1 (Email.Connect \"Sales inbox\"): rewritten to connection \"microsoft365\""));
   CHECK(test::has(run.err,
                   "step 1 (Email.Connect \"Sales inbox\"): an administrator grants the delegated permission "
                   "Mail.ReadWrite of Microsoft Graph"));
   CHECK(test::has(run.err,
                   "step 2 (Email.Connect \"Invoices robot\"): an administrator grants the application "
                   "permission Mail.ReadWrite of Microsoft Graph"));
   CHECK(test::has(run.err,
                   "step 3 (Email.Connect \"Agency mailbox\"): rewritten to connection \"microsoft365\" "
                   "(Microsoft Graph) with the same session name, username, client and credentials; ews_url, "
                   "domain and exchange_version dropped; cloud \"usgov\""));
   CHECK(test::has(run.err,
                   "step 4 (Email.Connect \"Old basic step\"): left as it is: it signs in with a password"));
   CHECK(test::has(run.err,
                   "step 5 (Email.Connect \"On-premises\"): left as it is: ews_url "
                   "\"https://mail.contoso.com/EWS/Exchange.asmx\" is not Exchange Online"));
   CHECK(test::has(run.err,
                   "step 6 (Email.Connect \"Found by Autodiscover\"): left as it is: domain \"fabrikam.com\" "
                   "is resolved by Autodiscover"));
   CHECK_FALSE(test::has(run.err, "step 7"));
   CHECK_FALSE(test::has(run.err, "needs attention"));  // every rewritten step fits the schema
   CHECK(test::has(run.err, "migrate: 3 of 9 steps rewritten"));

   // Migrating the migrated bot changes nothing more.
   cli.write("migrated.json", run.out);
   Run again = cli.host("migrate '" + cli.path("migrated.json") + "'");
   CHECK(again.exit_code == 0);
   CHECK(test::has(again.err, "migrate: 0 of 9 steps rewritten"));
   // A bad bot file is exit 2, as for run.
   cli.write("broken.json", "{\"steps\": [");
   CHECK(cli.host("migrate '" + cli.path("broken.json") + "'").exit_code == 2);
}

TEST_CASE("a migrated Graph step connects: the example's delegated step pointed at the test peers") {
   CliFixture cli;
   Run run = cli.host("migrate '" + std::string(RPA_TEST_EXAMPLES_DIR) + "/exchange-online-bot.json'");
   REQUIRE(run.exit_code == 0);
   rapidjson::Document bot;
   bot.Parse(run.out.c_str());
   REQUIRE(bot.IsObject());
   rapidjson::StringBuffer buffer;
   rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
   bot["steps"][0]["properties"].Accept(writer);
   // Only where it goes changes (the peers stand in for Microsoft): user, tenant, endpoints, trust.
   const test::DovecotPeer &peer = test::DovecotPeer::get();
   const test::IdentityPeer &identity = test::IdentityPeer::get();
   rapidjson::Document properties;
   properties.Parse(buffer.GetString());
   auto &allocator = properties.GetAllocator();
   properties["username"].SetString("alice@contoso.test", allocator);
   properties["tenant_id"].SetString(identity.tenant().c_str(), allocator);
   properties.AddMember("authority", rapidjson::Value(peer.value("PEER_AUTHORITY").c_str(), allocator),
                        allocator);
   properties.AddMember("graph_url", rapidjson::Value(peer.value("PEER_GRAPH_URL").c_str(), allocator),
                        allocator);
   properties.AddMember("ca_file", rapidjson::Value(peer.ca_file().c_str(), allocator), allocator);
   rapidjson::StringBuffer bag;
   rapidjson::Writer<rapidjson::StringBuffer> bag_writer(bag);
   properties.Accept(bag_writer);

   test::TestHost host;
   host.vault().set("Mail", "sales", "password", rpa::SecretString(identity.password("alice@contoso.test")));
   auto connected = host.run("Email.Connect", bag.GetString());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   CHECK(std::string(test::session_of(connected)["protocol"].GetString()) == "Graph");
   CHECK(host.run("Sibling.ListFolders", R"({"session_name":"Sales inbox"})").ok());
}

}  // TEST_SUITE("cli")
