// watch_bench: how soon a wait for new mail (email.watch/1) returns after a message arrives, and
// what an idle wait costs, against the Dovecot peer that scripts/bench.sh starts (ivan's INBOX,
// implicit TLS, IMAP IDLE).
//   - latency: a wait runs on its own thread; the main thread appends a message through the same
//     session (IMAP APPEND on the session's other connection) and notes when the append returned;
//     the time until the wait returned, over --arrivals arrivals (median and worst);
//   - idle: the process's CPU (user + system, getrusage) during a wait of --idle-seconds with
//     nothing arriving, and the bytes of the wait's connection meanwhile (the session's info,
//     "waiting": IDLE's renewals only, if any).
//
//   watch_bench PEER_STATE_FILE PLUGIN_DIR [--arrivals N] [--idle-seconds S]
#include <rapidjson/document.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "rpa/ext/email_mailbox.h"
#include "rpa/ext/email_session.h"
#include "rpa/ext/email_watch.h"

using bench::cpu_ms;
using bench::median;
using bench::quote;
using bench::read_file;
using bench::python;
using bench::read_state;
using bench::Text;

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

int main(int argc, char **argv) {
   if (argc < 3) {
      std::cerr << "usage: watch_bench PEER_STATE_FILE PLUGIN_DIR [--arrivals N] [--idle-seconds S]\n";
      return 2;
   }
   int arrivals = 20, idle_seconds = 60;
   for (int i = 3; i + 1 < argc; i += 2) {
      if (std::string(argv[i]) == "--arrivals") arrivals = std::max(1, std::atoi(argv[i + 1]));
      if (std::string(argv[i]) == "--idle-seconds") idle_seconds = std::max(1, std::atoi(argv[i + 1]));
   }
   auto state = read_state(argv[1]);
   bench::QuietHost quiet(argv[2]);
   if (!quiet.ok()) return 1;
   const rpa_host_services *host = quiet.services.services();
   const std::string bag =
       R"({"connection":"email_server","host":"localhost","protocol":"IMAP","tls_mode":"implicit","port":)" +
       state["PEER_IMAPS_PORT"] + R"(,"username":"ivan","password":)" +
       quote(read_file(state["PEER_IVAN_PASSWORD_FILE"])) + R"(,"ca_file":)" + quote(state["PEER_CA_FILE"]) +
       R"(,"session_name":"Watch","timeout_seconds":60})";
   auto connected = rpa_host::invoke_action(quiet.connect, bag, quiet.services);
   if (!connected.ok()) {
      std::cerr << "Connect: " << connected.message << "\n";
      return 1;
   }
   const rpa_session_handle *watch_handle = nullptr, *mailbox_handle = nullptr;
   host->session_get(host->host_data, "Watch", RPA_EMAIL_WATCH_INTERFACE, 1, &watch_handle);
   host->session_get(host->host_data, "Watch", RPA_EMAIL_MAILBOX_INTERFACE, 1, &mailbox_handle);
   const auto *watch = reinterpret_cast<const rpa_email_watch *>(watch_handle);
   const auto *mailbox = reinterpret_cast<const rpa_email_mailbox *>(mailbox_handle);
   if (!rpa_email_watch_is_compatible(watch) || !mailbox) {
      std::cerr << "the session offers no email.watch/1\n";
      return 1;
   }
   const std::string token = "watch-bench-" + std::to_string(std::rand());
   const std::string filter = R"({"subject":")" + token + "\"}";
   auto wait = [&](const std::string &cursor, unsigned ms, rapidjson::Document &answer) {
      Text out, message;
      if (watch->wait(watch, host, "inbox", cursor.c_str(), ms, filter.c_str(), &out.sink, &message.sink) !=
          RPA_OK) {
         std::cerr << "wait: " << message.text << "\n";
         std::exit(1);
      }
      answer.Parse(out.text.c_str());
   };
   rapidjson::Document answer;
   wait("", 1, answer);
   std::string cursor = answer["cursor"].GetString();

   std::vector<double> latency;
   for (int i = 0; i < arrivals; ++i) {
      std::atomic<bool> started{false};
      Clock::time_point returned;
      rapidjson::Document got;
      std::thread waiter([&] {
         started = true;
         wait(cursor, 60000, got);
         returned = Clock::now();
      });
      while (!started) std::this_thread::yield();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));  // idling by now
      const std::string message = "From: erin@example.com\r\nTo: ivan@example.com\r\nSubject: " + token +
                                  " " + std::to_string(i) + "\r\n\r\nNew.\r\n";
      Text ref, said;
      if (mailbox->append(mailbox, host, "inbox", message.data(), message.size(), &ref.sink, &said.sink) !=
          RPA_OK) {
         std::cerr << "append: " << said.text << "\n";
         return 1;
      }
      const Clock::time_point appended = Clock::now();
      waiter.join();
      if (got["messages"].Size() != 1) {
         std::cerr << "the wait returned " << got["messages"].Size() << " messages\n";
         return 1;
      }
      cursor = got["cursor"].GetString();
      latency.push_back(
          std::max(0.0, std::chrono::duration<double, std::milli>(returned - appended).count()));
   }

   const rpa_session_handle *session_handle = nullptr;
   host->session_get(host->host_data, "Watch", RPA_EMAIL_SESSION_INTERFACE, 1, &session_handle);
   const auto *session = reinterpret_cast<const rpa_email_session *>(session_handle);
   auto waiting_bytes = [&] {  // sent + received by the wait's own connection so far
      Text info;
      if (!session || session->info(session, &info.sink) != RPA_OK) return std::uint64_t{0};
      rapidjson::Document parsed;
      parsed.Parse(info.text.c_str());
      if (!parsed.IsObject() || !parsed.HasMember("waiting")) return std::uint64_t{0};
      return parsed["waiting"]["bytes_sent"].GetUint64() + parsed["waiting"]["bytes_received"].GetUint64();
   };
   const std::uint64_t bytes_before = waiting_bytes();
   const double idle_start = cpu_ms(RUSAGE_SELF);
   const Clock::time_point idle_began = Clock::now();
   wait(cursor, static_cast<unsigned>(idle_seconds) * 1000, answer);
   const double idle_cpu = cpu_ms(RUSAGE_SELF) - idle_start;
   const double idled = std::chrono::duration<double>(Clock::now() - idle_began).count();
   const std::uint64_t idle_bytes = waiting_bytes() - bytes_before;

   std::printf(
       "| waiting for new mail (IMAP IDLE) | arrivals | median ms | worst ms | idle wait | its CPU ms | its "
       "bytes |\n"
       "|---|---:|---:|---:|---:|---:|---:|\n");
   std::printf(
       "| append on the session, wait on its own connection | %d | %.1f | %.1f | %.0f s | %.1f | %llu |\n",
       arrivals, median(latency), *std::max_element(latency.begin(), latency.end()), idled, idle_cpu,
       static_cast<unsigned long long>(idle_bytes));
   std::printf(
       "\nLatency: from the append's return to the wait's (the server's EXISTS, the FETCH of the summary).\n"
       "Idle: the whole process's CPU while one wait idled with nothing arriving, and the bytes its "
       "connection\n"
       "exchanged meanwhile (the session's info, \"waiting\").\n");
   if (session_handle) session_handle->release(session_handle);
   watch_handle->release(watch_handle);
   mailbox_handle->release(mailbox_handle);
   rpa_host::invoke_action(quiet.disconnect, R"({"session_name":"Watch"})", quiet.services);
   return 0;
}
