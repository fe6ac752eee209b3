// A host that loads the plugin, connects (EWS with Basic and with OAuth2), deinits and unloads it,
// over and over in one process - the way a bot runner reloads packages. After each deinit the
// plugin has no thread left running, and dlclose() is safe; threads and file descriptors come
// back to the baseline every round.
//
// This executable links neither cpprestsdk nor the plugin's code, so dlclose() really unmaps
// what only the plugin uses (see plugin/src/util/library_lifetime.h for what stays).
#include <dirent.h>
#include <dlfcn.h>
#include <unistd.h>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>

#include "dovecot_peer.h"
#include "files.h"
#include "host_services_table.h"
#include "rpa/ext/actions.h"
#include "rpa/plugin.h"
#include "rpa_common/json.h"
#include "session_table.h"
#include "test_paths.h"
#include "vault.h"

namespace {

std::size_t entries_in(const char *folder) {
   std::size_t count = 0;
   if (DIR *dir = ::opendir(folder)) {
      while (dirent *entry = ::readdir(dir))
         if (entry->d_name[0] != '.') ++count;
      ::closedir(dir);
   }
   return count;
}
// Threads of this process. A joined thread may linger in /proc for a moment after pthread_join
// returned (the kernel wakes the joiner before it removes the task), so a count above `expected`
// is read again for up to a second; a thread that really stays is still there then.
std::size_t threads(std::size_t expected = 0) {
   std::size_t count = entries_in("/proc/self/task");
   for (int i = 0; i < 100 && count > expected && expected; ++i) {
      ::usleep(10000);
      count = entries_in("/proc/self/task");
   }
   return count;
}
std::size_t fds() { return entries_in("/proc/self/fd") - 1; }  // minus the one opendir holds

std::string quote(const std::string &text) {
   std::string out = "\"";
   for (char c : text) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
   return out + "\"";
}

struct Bags {
   std::string basic, oauth2, kerberos, ntlm;  // the last two: Windows sign-in (MIT krb5, gss-ntlmssp)
};

Bags ews_bags() {
   const test::DovecotPeer &peer = test::DovecotPeer::get();
   rapidjson::Document directory, mailboxes;
   REQUIRE(rpa::parse_json(directory, test::read_file(peer.value("PEER_IDENTITY_DIRECTORY"))).ok);
   REQUIRE(rpa::parse_json(mailboxes, test::read_file(peer.value("PEER_EWS_MAILBOXES"))).ok);
   const std::string user = "alice@contoso.test";
   const std::string common = "\"connection\":\"ews\",\"username\":" + quote(user) +
                              ",\"ews_url\":" + quote(peer.value("PEER_EWS_URL")) +
                              ",\"ca_file\":" + quote(peer.ca_file()) + ",\"timeout_seconds\":20";
   Bags bags;
   bags.basic = "{" + common +
                ",\"password\":" + quote(mailboxes["mailboxes"][user.c_str()]["password"].GetString()) + "}";
   bags.oauth2 = "{" + common + ",\"auth_type\":\"oauth2\",\"client_id\":" +
                 quote(directory["public_clients"][0].GetString()) +
                 ",\"tenant_id\":" + quote(directory["tenant"].GetString()) +
                 ",\"authority\":" + quote(peer.value("PEER_AUTHORITY")) +
                 ",\"password\":" + quote(directory["users"][user.c_str()]["password"].GetString()) + "}";
   const std::string windows_password = quote(test::read_file(peer.value("PEER_KRB_ALICE_PASSWORD_FILE")));
   const std::string windows = "\"connection\":\"ews\",\"ews_url\":" + quote(peer.value("PEER_EWS_URL")) +
                               ",\"ca_file\":" + quote(peer.ca_file()) +
                               ",\"timeout_seconds\":20,\"password\":" + windows_password;
   bags.kerberos = "{" + windows + ",\"auth_type\":\"negotiate\",\"username\":\"alice@CONTOSO.TEST\"}";
   bags.ntlm = "{" + windows + ",\"auth_type\":\"ntlm\",\"username\":" + quote("CONTOSO\\alice") + "}";
   return bags;
}

rpa_status invoke(const rpa_plugin_actions &actions, const char *action, const std::string &bag,
                  const rpa_host_services *services, std::string &message) {
   message.clear();
   rpa_text_sink sink{sizeof(rpa_text_sink), &message,
                      [](const rpa_text_sink *self, const char *data, size_t size) {
                         static_cast<std::string *>(self->sink_data)->append(data, size);
                      }};
   std::string result;
   rpa_text_sink result_sink{sizeof(rpa_text_sink), &result, sink.append};
   rpa_invoke_result out{sizeof(rpa_invoke_result), &sink, &result_sink, nullptr};
   return actions.invoke(action, bag.data(), bag.size(), services, &out);
}

}  // namespace

TEST_SUITE("unload") {

// 200 rounds (10 in sanitizer builds, where one round takes seconds).
TEST_CASE("load - init - Connect EWS Basic, OAuth2, Kerberos and NTLM - deinit - dlclose 200 times") {
   const std::string plugin = std::string(RPA_TEST_PLUGIN_DIR) + "/librpa_email.so";
   const Bags bags = ews_bags();
   // The test realm, and a ticket cache of this test's own (nothing of the machine's Kerberos).
   ::setenv("KRB5_CONFIG", test::DovecotPeer::get().value("PEER_KRB5_CONFIG").c_str(), 1);
   ::setenv("KRB5CCNAME", "MEMORY:rpa-unload-test", 1);
   char vault_name[] = "/tmp/rpa-unload-vault.XXXXXX";
   const std::string vault_dir = ::mkdtemp(vault_name);
   // A sanitizer's runtime starts a thread of its own with the process's first thread: start one
   // before counting, so that the baseline is the host's own.
   std::thread([] {}).join();
   const std::size_t baseline_threads = threads();
   std::size_t baseline_fds = 0;
   const int rounds = std::getenv("RPA_UNLOAD_ROUNDS") ? std::atoi(std::getenv("RPA_UNLOAD_ROUNDS"))
                                                       : RPA_UNLOAD_ROUNDS_DEFAULT;
   for (int round = 0; round < rounds; ++round) {
      CAPTURE(round);
      void *library = ::dlopen(plugin.c_str(), RTLD_NOW | RTLD_LOCAL);
      REQUIRE_MESSAGE(library, ::dlerror());
      const auto *entry = static_cast<const rpa_plugin_entry *>(::dlsym(library, RPA_ENTRY_SYMBOL));
      REQUIRE(rpa_plugin_entry_is_compatible(entry));
      rpa_host_info info{sizeof(rpa_host_info), RPA_VERSION_INIT, "unload-test", plugin.c_str()};
      REQUIRE(entry->init(&info));
      const auto *actions = static_cast<const rpa_plugin_actions *>(entry->get_extension(RPA_EXT_ACTIONS));
      REQUIRE(actions);
      {
         rpa_host::SessionTable sessions;
         rpa_host::Vault vault =
             rpa_host::Vault::open(vault_dir + "/vault.json", rpa::SecretString("unload"));
         std::atomic<bool> cancelled{false};
         rpa_host::LogSink quiet{RPA_LOG_ERROR, [](rpa_log_level, const std::string &) {}};
         rpa_host::HostServicesTable host(sessions, &vault, quiet, cancelled);
         std::string message;
         CHECK_MESSAGE(invoke(*actions, "email.connect/1", bags.basic, host.services(), message) == RPA_OK,
                       message);
         sessions.clear();  // logs out through the plugin, before deinit
         CHECK_MESSAGE(invoke(*actions, "email.connect/1", bags.oauth2, host.services(), message) == RPA_OK,
                       message);
         sessions.clear();
         CHECK_MESSAGE(invoke(*actions, "email.connect/1", bags.kerberos, host.services(), message) == RPA_OK,
                       message);
         sessions.clear();
         CHECK_MESSAGE(invoke(*actions, "email.connect/1", bags.ntlm, host.services(), message) == RPA_OK,
                       message);
         sessions.clear();
         if (round == 0) {  // an action id that would forge a log line is refused at the boundary
            CHECK(invoke(*actions, "email.connect/1\r\nforged", bags.basic, host.services(), message) ==
                  RPA_INVALID_PROPERTIES);
         }
      }
      entry->deinit();
      CHECK(threads(baseline_threads) == baseline_threads);  // nothing of the plugin's still runs
      REQUIRE(::dlclose(library) == 0);
      CHECK(threads(baseline_threads) == baseline_threads);
      // The first round loads what stays for the process (libraries the plugin pins, their
      // one-time state); from then on every round ends where the first one did.
      if (round == 0) baseline_fds = fds();
      CHECK(fds() == baseline_fds);
      if (threads(baseline_threads) != baseline_threads || fds() != baseline_fds) break;
   }
   std::system(("rm -rf '" + vault_dir + "'").c_str());
}

}  // TEST_SUITE("unload")
