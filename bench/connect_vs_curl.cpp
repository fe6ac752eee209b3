// connect_vs_curl: our Connect + Disconnect side by side with libcurl and the curl command line,
// in one run, against the same Dovecot (the peer scripts/bench.sh starts). Prints ratios.
//
// What is measured (client CPU, user + system, from getrusage; medians of interleaved rounds, so
// machine noise hits both sides alike; each pair of sides in a block of its own):
//  1. repeated IMAPS connects in one process, system trust store: ours (the real plugin through the
//     real host parts) vs libcurl (a new easy handle per connect: CONNECT_ONLY logs in, cleanup
//     logs out). The system store is OpenSSL's default locations plus a directory holding the test
//     CA, given to us through SSL_CERT_DIR and to libcurl through CURLOPT_CAPATH; libcurl also
//     loads its default CA bundle, as it does for every user who sets nothing.
//  2. the same with a one-CA ca_file (CURLOPT_CAINFO, no CA path).
//  3. one process per connect: `rpa-host run` of a one-Connect bot vs the `curl` command line
//     (login, NOOP, logout), system trust store; CPU of the child processes.
//  4. memory per held IMAPS session (system trust store): the heap growth over N open sessions / N,
//     and the same for Python's imaplib with one shared SSLContext (RSS growth / N).
//  5. waited round trips of one Connect, from the session's info (deterministic).
//
//   connect_vs_curl PEER_STATE_FILE BUILD_DIR [--rounds N] [--sessions N]
#include <curl/curl.h>
#include <fcntl.h>
#include <malloc.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "action_invoker.h"
#include "bench_support.h"
#include "host_services_table.h"
#include "plugin_registry.h"
#include "session_table.h"

extern char **environ;

using bench::quote;
using bench::cpu_ms;
using bench::median;
using bench::read_file;
using bench::read_state;

namespace {

// A directory with the test CA under its OpenSSL hash name, for SSL_CERT_DIR / CURLOPT_CAPATH.
std::string hashed_ca_directory(const std::string &ca_file) {
   char pattern[] = "/tmp/rpa-bench-certs.XXXXXX";
   const std::string dir = ::mkdtemp(pattern);
   FILE *in = std::fopen(ca_file.c_str(), "r");
   X509 *ca = in ? PEM_read_X509(in, nullptr, nullptr, nullptr) : nullptr;
   if (in) std::fclose(in);
   if (!ca) return dir;
   char name[32];
   std::snprintf(name, sizeof name, "%08lx.0", X509_subject_name_hash(ca));
   X509_free(ca);
   std::ofstream(dir + "/" + name) << read_file(ca_file);
   return dir;
}

int run_process(const std::vector<std::string> &args) {
   std::vector<char *> argv;
   for (const std::string &arg : args) argv.push_back(const_cast<char *>(arg.c_str()));
   argv.push_back(nullptr);
   posix_spawn_file_actions_t actions;
   posix_spawn_file_actions_init(&actions);
   posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
   posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
   pid_t pid = 0;
   int status = -1;
   if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0) waitpid(pid, &status, 0);
   posix_spawn_file_actions_destroy(&actions);
   return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

long rss_kib() {
   std::ifstream statm("/proc/self/statm");
   long pages = 0, resident = 0;
   statm >> pages >> resident;
   return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

}  // namespace

int main(int argc, char **argv) {
   if (argc < 3) {
      std::cerr << "usage: connect_vs_curl PEER_STATE_FILE BUILD_DIR [--rounds N] [--sessions N]\n";
      return 2;
   }
   int rounds = 40, held = 50;
   for (int i = 3; i + 1 < argc; i += 2) {
      if (std::string(argv[i]) == "--rounds") rounds = std::max(3, std::atoi(argv[i + 1]));
      if (std::string(argv[i]) == "--sessions") held = std::max(2, std::atoi(argv[i + 1]));
   }
   auto state = read_state(argv[1]);
   const std::string build = argv[2];
   const std::string password = read_file(state["PEER_ALICE_PASSWORD_FILE"]);
   const std::string port = state["PEER_IMAPS_PORT"];
   const std::string ca_file = state["PEER_CA_FILE"];
   // The system store plus the test CA: set before the plugin builds its first TLS context.
   const std::string ca_dir = hashed_ca_directory(ca_file);
   const std::string system_dirs = ca_dir + ":" + X509_get_default_cert_dir();
   ::unsetenv("SSL_CERT_FILE");
   ::setenv("SSL_CERT_DIR", system_dirs.c_str(), 1);

   bench::QuietHost quiet_host(build + "/plugins");
   if (!quiet_host.ok()) return 1;
   const rpa_host::FoundAction &connect = quiet_host.connect;
   const rpa_host::FoundAction &disconnect = quiet_host.disconnect;
   const rpa_host::HostServicesTable &host = quiet_host.services;
   const std::string system_bag =
       R"({"connection":"email_server","host":"localhost","protocol":"IMAP","tls_mode":"implicit","username":"alice","password":)" +
       quote(password) + R"(,"port":)" + port;
   const std::string ca_bag = system_bag + R"(,"ca_file":)" + quote(ca_file) + "}";

   std::string failure;
   rapidjson::Document info;
   auto ours = [&](const std::string &bag, const std::string &name) {
      rpa_host::ActionOutcome outcome = rpa_host::invoke_action(
          connect, bag.substr(0, bag.size() - 1) + R"(,"session_name":)" + quote(name) + "}", host);
      if (!outcome.ok()) failure = outcome.message;
      // A fresh document each time: one reused keeps every parse in its pool (64 KiB chunks), which
      // the held sessions' heap figure then counted as theirs.
      rapidjson::Document parsed;
      parsed.Parse(outcome.result_json.c_str());
      info.Swap(parsed);
      return outcome.ok();
   };
   auto ours_round = [&](const std::string &bag) {
      const double before = cpu_ms(RUSAGE_SELF);
      ours(bag, "bench");
      rpa_host::invoke_action(disconnect, R"({"session_name":"bench"})", host);
      return cpu_ms(RUSAGE_SELF) - before;
   };
   curl_global_init(CURL_GLOBAL_DEFAULT);
   const std::string url = "imaps://localhost:" + port + "/";
   auto curl_round = [&](bool system_store) {
      const double before = cpu_ms(RUSAGE_SELF);
      CURL *curl = curl_easy_init();
      curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
      curl_easy_setopt(curl, CURLOPT_USERNAME, "alice");
      curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
      curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);  // IMAP: greeting, capabilities, login
      if (system_store) {
         curl_easy_setopt(curl, CURLOPT_CAPATH, system_dirs.c_str());
      } else {
         curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
         curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
      }
      const CURLcode code = curl_easy_perform(curl);
      if (code != CURLE_OK) failure = std::string("libcurl: ") + curl_easy_strerror(code);
      curl_easy_cleanup(curl);  // LOGOUT
      return cpu_ms(RUSAGE_SELF) - before;
   };

   // Warm up both (first TLS context, first tickets, lazy CA lookups, libcurl's init).
   ours_round(system_bag + "}");
   curl_round(true);
   if (!failure.empty()) {
      std::cerr << failure << "\n";
      return 1;
   }
   const std::uint64_t round_trips = info["session"]["round_trips"].GetUint64();

   std::vector<double> ours_system, curl_system, ours_ca, curl_ca;
   // Each pair in a block of its own, its two sides interleaved in alternating order, so that each
   // side runs after the other's same work as often as after its own, and neither side's one-CA
   // connect runs on the caches libcurl's system-store connect just disturbed (it parses a
   // 140-CA bundle). (Mixing the pairs in one round put our one-CA connect after libcurl's
   // system-store one in every other round, and libcurl's never after anything that large.)
   auto interleave = [&](auto our_side, auto their_side, std::vector<double> &ours_out,
                         std::vector<double> &theirs_out) {
      for (int round = 0; round < rounds; ++round) {
         if (round % 2 == 0) {
            ours_out.push_back(our_side());
            theirs_out.push_back(their_side());
         } else {
            theirs_out.push_back(their_side());
            ours_out.push_back(our_side());
         }
      }
   };
   interleave([&] { return ours_round(system_bag + "}"); }, [&] { return curl_round(true); }, ours_system,
              curl_system);
   ours_round(ca_bag);  // the one-CA context's first use, as the warm-up above was the system store's
   curl_round(false);
   interleave([&] { return ours_round(ca_bag); }, [&] { return curl_round(false); }, ours_ca, curl_ca);
   const bool resumed = info["session"]["tls_resumed"].GetBool();

   // One process per connect: rpa-host with a one-Connect bot vs the curl command line.
   const std::string bot = ca_dir + "/bot.json";
   std::ofstream(bot) << R"({"steps": [{"action": "Email.Connect", "properties": )" << system_bag
                      << R"(}}, {"action": "Email.Disconnect", "properties": {}}]})";
   const std::string netrc = ca_dir + "/netrc";
   std::string netrc_password;  // quoted: the test password has spaces (curl >= 7.84 reads quotes)
   for (char c : password)
      netrc_password += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
   std::ofstream(netrc) << "machine localhost login alice password \"" << netrc_password << "\"\n";
   std::vector<double> host_process, curl_process;
   int process_failures = 0;
   for (int round = 0; round < std::max(3, rounds / 4); ++round) {
      double before = cpu_ms(RUSAGE_CHILDREN);
      process_failures +=
          run_process({build + "/bin/rpa-host", "--plugins", build + "/plugins", "run", bot}) != 0;
      host_process.push_back(cpu_ms(RUSAGE_CHILDREN) - before);
      before = cpu_ms(RUSAGE_CHILDREN);
      process_failures += run_process({"/usr/bin/curl", "-s", "--netrc-file", netrc, "--capath", system_dirs,
                                       "-X", "NOOP", url}) != 0;
      curl_process.push_back(cpu_ms(RUSAGE_CHILDREN) - before);
   }

   // Memory per held session (system store).
   malloc_trim(0);
   const std::size_t heap_before = mallinfo2().uordblks;
   const long rss_before = rss_kib();
   for (int i = 0; i < held; ++i) ours(system_bag + "}", "held " + std::to_string(i));
   const double heap_per_session =
       (static_cast<double>(mallinfo2().uordblks) - static_cast<double>(heap_before)) / held / 1024.0;
   const double rss_per_session = static_cast<double>(rss_kib() - rss_before) / held;
   for (int i = 0; i < held; ++i)
      rpa_host::invoke_action(disconnect, R"({"session_name":)" + quote("held " + std::to_string(i)) + "}",
                              host);
   const std::string python =
       "import imaplib, ssl, sys\n"
       "def rss():\n"
       "    return int(open('/proc/self/statm').read().split()[1]) * 4\n"
       "ctx = ssl.create_default_context(capath=sys.argv[2])\n"
       "first = imaplib.IMAP4_SSL('localhost', int(sys.argv[1]), ssl_context=ctx); first.login('alice', "
       "sys.argv[3])\n"
       "before = rss(); held = []\n"
       "for i in range(int(sys.argv[4])):\n"
       "    m = imaplib.IMAP4_SSL('localhost', int(sys.argv[1]), ssl_context=ctx); m.login('alice', "
       "sys.argv[3]); held.append(m)\n"
       "print((rss() - before) / int(sys.argv[4]))\n"
       "for m in held + [first]: m.logout()\n";
   std::ofstream(ca_dir + "/held.py") << python;
   std::string python_per_session = "n/a";
   if (FILE *pipe = ::popen(("python3 " + ca_dir + "/held.py " + port + " '" + system_dirs + "' '" +
                             password + "' " + std::to_string(held) + " 2>/dev/null")
                                .c_str(),
                            "r")) {
      char line[64] = {0};
      if (std::fgets(line, sizeof line, pipe))
         python_per_session = std::string(line, std::strcspn(line, "\n"));
      ::pclose(pipe);
   }

   const double r1 = median(ours_system) / median(curl_system), r2 = median(ours_ca) / median(curl_ca),
                r3 = median(host_process) / median(curl_process);
   std::printf("| measure | ours | peer | ratio | goal |\n|---|---:|---:|---:|---:|\n");
   std::printf(
       "| CPU per connect, one process, system trust store (ms) | %.2f | %.2f libcurl | %.2f | <= 0.25 |\n",
       median(ours_system), median(curl_system), r1);
   std::printf(
       "| CPU per connect, one process, one-CA ca_file (ms) | %.2f | %.2f libcurl | %.2f | <= 0.6 |\n",
       median(ours_ca), median(curl_ca), r2);
   std::printf(
       "| CPU of one process that connects, system trust store (ms) | %.2f | %.2f curl | %.2f | <= 0.6 |\n",
       median(host_process), median(curl_process), r3);
   std::printf("| memory per held IMAPS session (KiB) | %.1f heap, %.1f RSS | %s imaplib RSS | | <= 24 |\n",
               heap_per_session, rss_per_session, python_per_session.c_str());
   std::printf("| waited round trips of Connect after TCP and TLS | %llu | | | 1 (AUTHENTICATE) |\n",
               static_cast<unsigned long long>(round_trips));
   std::printf(
       "\n%d interleaved rounds (medians); the last connect %s its TLS session; %d process runs "
       "failed.\n",
       rounds, resumed ? "resumed" : "did NOT resume", process_failures);
   curl_global_cleanup();
   std::filesystem::remove_all(ca_dir);
   return failure.empty() && process_failures == 0 ? 0 : 1;
}
