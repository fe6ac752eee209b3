// watch_bench: how soon a wait for new mail (email.watch/1) returns after a message arrives, and
// what an idle wait costs, against the peers that scripts/bench.sh starts: IMAP IDLE (ivan's
// INBOX, implicit TLS), POP3 polled every 2 s (the same maildrop), EWS streaming notifications
// (the EWS peer's watcher@contoso.test, its poll left at 60 s).
//   - latency: a wait runs on its own thread; the main thread appends a message (IMAP APPEND on the
//     IMAP session's other connection; EWS CreateItem on the EWS session) and notes when the append
//     returned; the time until the wait returned, over --arrivals arrivals (median and worst);
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

// One connected session and its interfaces; disconnected when it goes.
struct Session {
   Session(bench::QuietHost &host, std::string session_name, const std::string &bag)
       : quiet(host), name(std::move(session_name)) {
      std::string named = bag;
      named.insert(named.size() - 1, R"(,"session_name":)" + quote(name));
      auto connected = rpa_host::invoke_action(quiet.connect, named, quiet.services);
      if (!connected.ok()) {
         std::cerr << name << ": Connect: " << connected.message << "\n";
         return;
      }
      const rpa_host_services *services = quiet.services.services();
      watch = bench::session_interface<rpa_email_watch>(services, name, RPA_EMAIL_WATCH_INTERFACE);
      mailbox = bench::session_interface<rpa_email_mailbox>(services, name, RPA_EMAIL_MAILBOX_INTERFACE);
      if (!rpa_email_watch_is_compatible(watch) || !mailbox) std::cerr << name << ": no email.watch/1\n";
   }
   ~Session() {
      if (watch) watch->handle.release(&watch->handle);
      if (mailbox) mailbox->handle.release(&mailbox->handle);
      rpa_host::invoke_action(quiet.disconnect, R"({"session_name":)" + quote(name) + "}", quiet.services);
   }
   bool ok() const { return rpa_email_watch_is_compatible(watch) && mailbox; }

   bench::QuietHost &quiet;
   std::string name;
   const rpa_email_watch *watch = nullptr;
   const rpa_email_mailbox *mailbox = nullptr;
   std::string cursor;  // after the last wait
};

void wait_on(Session &session, const std::string &cursor, unsigned ms, const std::string &filter,
             rapidjson::Document &answer) {
   const rpa_host_services *host = session.quiet.services.services();
   Text out, message;
   if (session.watch->wait(session.watch, host, "inbox", cursor.c_str(), ms, filter.c_str(), &out.sink,
                           &message.sink) != RPA_OK) {
      std::cerr << session.name << ": wait: " << message.text << "\n";
      std::exit(1);
   }
   answer.Parse(out.text.c_str());
   session.cursor = answer["cursor"].GetString();
}

// Milliseconds from each append (through `appender`'s mailbox) to the return of the wait on
// `waiter` that it ended, over `arrivals` arrivals; `poll_seconds` 0 leaves the backend's own.
std::vector<double> latency_of(Session &waiter, Session &appender, const std::string &token, int poll_seconds,
                               int arrivals, const std::string &to) {
   const std::string filter = R"({"subject":")" + token + "\"" +
                              (poll_seconds > 0 ? R"(,"poll_seconds":)" + std::to_string(poll_seconds) : "") +
                              "}";
   rapidjson::Document answer;
   wait_on(waiter, "", 1, filter, answer);
   std::vector<double> latency;
   for (int i = 0; i < arrivals; ++i) {
      std::atomic<bool> started{false};
      Clock::time_point returned;
      rapidjson::Document got;
      std::thread waiting([&] {
         started = true;
         wait_on(waiter, waiter.cursor, 60000, filter, got);
         returned = Clock::now();
      });
      while (!started) std::this_thread::yield();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));  // idling by now
      const std::string message = "From: erin@example.com\r\nTo: " + to + "\r\nSubject: " + token + " " +
                                  waiter.name + " " + std::to_string(i) + "\r\n\r\nNew.\r\n";
      Text ref, said;
      if (appender.mailbox->append(appender.mailbox, appender.quiet.services.services(), "inbox",
                                   message.data(), message.size(), &ref.sink, &said.sink) != RPA_OK) {
         std::cerr << appender.name << ": append: " << said.text << "\n";
         std::exit(1);
      }
      const Clock::time_point appended = Clock::now();
      waiting.join();
      if (got["messages"].Size() != 1) {
         std::cerr << waiter.name << ": the wait returned " << got["messages"].Size() << " messages\n";
         std::exit(1);
      }
      latency.push_back(
          std::max(0.0, std::chrono::duration<double, std::milli>(returned - appended).count()));
   }
   return latency;
}

double worst(const std::vector<double> &values) { return *std::max_element(values.begin(), values.end()); }

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
   const std::string dovecot = R"({"connection":"email_server","host":"localhost","tls_mode":"implicit",)"
                               R"("username":"ivan","password":)" +
                               quote(read_file(state["PEER_IVAN_PASSWORD_FILE"])) + R"(,"ca_file":)" +
                               quote(state["PEER_CA_FILE"]) + R"(,"timeout_seconds":60,)";
   rapidjson::Document ews_mailboxes;
   ews_mailboxes.Parse(read_file(state["PEER_EWS_MAILBOXES"]).c_str());
   const std::string watcher = "watcher@contoso.test";
   const std::string ews_password = ews_mailboxes.IsObject() && ews_mailboxes.HasMember("mailboxes") &&
                                            ews_mailboxes["mailboxes"].HasMember(watcher.c_str())
                                        ? ews_mailboxes["mailboxes"][watcher.c_str()]["password"].GetString()
                                        : "";
   Session imap(quiet, "Watch", dovecot + R"("protocol":"IMAP","port":)" + state["PEER_IMAPS_PORT"] + "}");
   Session pop3(quiet, "WatchPop3",
                dovecot + R"("protocol":"POP3","port":)" + state["PEER_POP3S_PORT"] + "}");
   Session ews(quiet, "WatchEws",
               R"({"connection":"ews","username":)" + quote(watcher) + R"(,"password":)" +
                   quote(ews_password) + R"(,"ews_url":)" + quote(state["PEER_EWS_URL"]) + R"(,"ca_file":)" +
                   quote(state["PEER_CA_FILE"]) + R"(,"timeout_seconds":60})");
   if (!imap.ok() || !pop3.ok() || !ews.ok()) return 1;
   const std::string token = "watch-bench-" + std::to_string(std::rand());

   std::printf(
       "| waiting for new mail | how it learns | arrivals | median ms | worst ms |\n"
       "|---|---|---:|---:|---:|\n");
   const std::vector<double> imap_latency = latency_of(imap, imap, token, 0, arrivals, "watch@example.com");
   std::printf("| IMAP | IDLE on its own connection | %d | %.1f | %.1f |\n", arrivals, median(imap_latency),
               worst(imap_latency));
   const int polled = std::max(1, arrivals / 2);
   const std::vector<double> pop3_latency = latency_of(pop3, imap, token, 2, polled, "watch@example.com");
   std::printf("| POP3 | UIDL on a new connection every 2 s | %d | %.1f | %.1f |\n", polled,
               median(pop3_latency), worst(pop3_latency));
   const std::vector<double> ews_latency = latency_of(ews, ews, token, 60, polled, watcher);
   std::printf("| EWS | streaming notifications (poll 60 s) | %d | %.1f | %.1f |\n", polled,
               median(ews_latency), worst(ews_latency));
   std::printf(
       "\nLatency: from the append's return to the wait's (IMAP: the server's EXISTS, then the FETCH of the "
       "summary;\nPOP3: the next look; EWS: the streamed event, then SyncFolderItems and the summary).\n\n");

   // The idle wait starts from now: the POP3 round's mail came through the IMAP session.
   const std::string filter = R"({"subject":")" + token + "\"}";
   rapidjson::Document answer;
   wait_on(imap, "", 1, filter, answer);
   const std::string cursor = imap.cursor;
   const auto *session = bench::session_interface<rpa_email_session>(quiet.services.services(), "Watch",
                                                                     RPA_EMAIL_SESSION_INTERFACE);
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
   wait_on(imap, cursor, static_cast<unsigned>(idle_seconds) * 1000, filter, answer);
   if (answer["messages"].Size() != 0)
      std::cerr << "the idle wait returned " << answer["messages"].Size() << " messages: " << cursor << "\n";
   const double idle_cpu = cpu_ms(RUSAGE_SELF) - idle_start;
   const double idled = std::chrono::duration<double>(Clock::now() - idle_began).count();
   const std::uint64_t idle_bytes = waiting_bytes() - bytes_before;

   std::printf(
       "| an idle IMAP wait | its CPU ms | its bytes |\n"
       "|---:|---:|---:|\n"
       "| %.0f s | %.1f | %llu |\n",
       idled, idle_cpu, static_cast<unsigned long long>(idle_bytes));
   std::printf(
       "\nIdle: the whole process's CPU while one wait idled with nothing arriving, and the bytes its "
       "connection\n"
       "exchanged meanwhile (the session's info, \"waiting\").\n");
   if (session) session->handle.release(&session->handle);
   return 0;
}
