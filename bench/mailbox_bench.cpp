// mailbox_bench: what the mailbox interface (email.mailbox/1) costs on real mail, side by side
// with Python's imaplib and poplib in the same run.
//
// Against the Dovecot peer that scripts/bench.sh starts (frank's INBOX: 1,000 small messages;
// dave's INBOX: a 5 MB attachment), over implicit TLS:
//   - listing 1,000 summaries (one search page of 1,000): round trips and bytes after login
//     (deterministic), and the client CPU (user + system, getrusage; median of --rounds) of the
//     plugin, of imaplib fetching the same items (UID SEARCH, one UID FETCH) without decoding,
//     and of imaplib plus Python's email package decoding what the summary decodes; the same
//     over POP3 (UIDL, LIST, TOP n 0 pipelined) beside poplib;
//   - fetching the 5 MB message (fetch_raw to a sink that drops the bytes) and its attachment
//     (fetch_attachment): the most heap in use at any time during the transfer above what was in
//     use before (glibc mallinfo2, sampled at every chunk the sink receives), against the
//     message's size;
//   - the client CPU of fetch_raw and fetch_attachment on that message over IMAPS beside
//     libcurl's IMAP fetch of it (imaps://.../INBOX/;UID=n, its C API, on a handle whose first
//     transfer signed in; median of --rounds);
//   - a 40 MB message stored on the EWS peer and fetched with fetch_raw, the heap sampled every
//     millisecond by a thread of its own (bench_support.h: HeapPeak), then removed.
//
//   mailbox_bench PEER_STATE_FILE PLUGIN_DIR [--rounds N] [--listing IMAP|POP3|EWS]
#include <curl/curl.h>
#include <malloc.h>
#include <rapidjson/document.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "bench_support.h"
#include "rpa/ext/email_mailbox.h"
#include "rpa/ext/email_session.h"

using bench::quote;
using bench::cpu_ms;
using bench::HeapPeak;
using bench::median;
using bench::read_file;
using bench::python;
using bench::read_state;
using bench::Text;
using bench::minor_faults;

namespace {

std::size_t heap_in_use() { return mallinfo2().uordblks; }

// Drops the bytes, noting the most heap in use while they arrive.
struct PeakSink {
   std::size_t baseline = heap_in_use(), peak = 0, bytes = 0;
   double peak_mb() const { return static_cast<double>(peak) / 1048576.0; }
   double of(double size) const { return static_cast<double>(peak) / size; }
   rpa_byte_sink sink{sizeof(rpa_byte_sink), this, [](const rpa_byte_sink *s, const void *, size_t size) {
                         auto *self = static_cast<PeakSink *>(s->sink_data);
                         const std::size_t now = heap_in_use();
                         self->peak = std::max(self->peak, now > self->baseline ? now - self->baseline : 0);
                         self->bytes += size;
                         return 1;
                      }};
};

// Prints its median CPU ms; with "faults" after the mode, its median minor page faults instead;
// with "best", its least CPU ms of the rounds.
const char *kImaplib = R"(import imaplib, ssl, sys, time, email, email.policy, resource
port, ca, password, rounds, decode = int(sys.argv[1]), sys.argv[2], open(sys.argv[3]).read(), int(sys.argv[4]), sys.argv[5] == 'decode'
faults = len(sys.argv) > 6 and sys.argv[6] == 'faults'
best = len(sys.argv) > 6 and sys.argv[6] == 'best'
ctx = ssl.create_default_context(cafile=ca)
m = imaplib.IMAP4_SSL('localhost', port, ssl_context=ctx); m.login('frank', password)
times = []
for _ in range(rounds):
    start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt if faults else time.process_time()
    m.select('INBOX')
    uids = m.uid('SEARCH', None, 'ALL')[1][0].split()
    data = m.uid('FETCH', b','.join(uids), '(UID FLAGS RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (DATE FROM TO CC SUBJECT MESSAGE-ID)])')[1]
    if decode:
        for item in data:
            if isinstance(item, tuple):
                h = email.message_from_bytes(item[1], policy=email.policy.default)
                str(h['subject']); h['from'] and h['from'].addresses; h['to'] and h['to'].addresses; h['date'] and h['date'].datetime
    times.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start if faults else (time.process_time() - start) * 1000)
m.logout()
print('%.1f' % (min(times) if best else sorted(times)[len(times) // 2]))
)";

const char *kPoplib = R"(import poplib, ssl, sys, time, email, email.policy
port, ca, password, rounds = int(sys.argv[1]), sys.argv[2], open(sys.argv[3]).read(), int(sys.argv[4])
ctx = ssl.create_default_context(cafile=ca)
times = []
for _ in range(rounds):
    p = poplib.POP3_SSL('localhost', port, context=ctx); p.user('frank'); p.pass_(password)
    start = time.process_time()
    p.uidl(); listing = p.list()[1]
    for line in listing:
        n = int(line.split()[0])
        h = email.message_from_bytes(b'\r\n'.join(p.top(n, 0)[1]), policy=email.policy.default)
        str(h['subject']); h['from'] and h['from'].addresses
    times.append((time.process_time() - start) * 1000)
    p.quit()
print('%.1f' % sorted(times)[len(times) // 2])
)";

size_t drop(char *, size_t size, size_t count, void *) { return size * count; }

// libcurl's client CPU per IMAP fetch of `url` (median of `rounds`), on one handle whose first
// transfer (not counted) opened, signed in and selected on the connection the others reuse.
double curl_fetch_ms(const std::string &url, const std::string &ca_file, const std::string &password,
                     int rounds) {
   CURL *curl = curl_easy_init();
   if (!curl) return -1;
   curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
   curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
   curl_easy_setopt(curl, CURLOPT_USERNAME, "dave");
   curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
   curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, drop);
   std::vector<double> cpu;
   for (int round = 0; round <= rounds; ++round) {
      const double start = cpu_ms(RUSAGE_SELF);
      const CURLcode code = curl_easy_perform(curl);
      if (round > 0) cpu.push_back(cpu_ms(RUSAGE_SELF) - start);
      if (code != CURLE_OK) {
         std::cerr << "libcurl: " << curl_easy_strerror(code) << "\n";
         curl_easy_cleanup(curl);
         return -1;
      }
   }
   curl_easy_cleanup(curl);
   return median(cpu);
}

// Fetching the 5 MB message over IMAPS (and saving its attachment) beside libcurl's fetch of it.
template <typename Connect>
bool fetch_vs_curl(std::map<std::string, std::string> &state, int rounds, Connect &connect,
                   const rpa_host_services *host) {
   auto [session, mailbox] = connect("IMAP", "dave", "CurlIMAP");
   Text page, message;
   mailbox->search(mailbox, host, "inbox", R"({"subject":"Large attachment","limit":1})", &page.sink,
                   &message.sink);
   rapidjson::Document listed;
   listed.Parse(page.text.c_str());
   if (!listed.IsObject() || listed["messages"].Empty()) return false;
   const std::string ref = listed["messages"][0]["ref"].GetString();  // imap:<validity>:<uid>:INBOX
   const std::string uid = ref.substr(ref.find(':', 5) + 1, ref.rfind(':') - ref.find(':', 5) - 1);
   auto ours = [&](bool raw, bool attachment) {
      std::vector<double> cpu;
      for (int round = 0; round <= rounds; ++round) {
         PeakSink sink;
         Text info;
         const double start = cpu_ms(RUSAGE_SELF);
         if (raw) mailbox->fetch_raw(mailbox, host, ref.c_str(), &sink.sink, &message.sink);
         if (attachment)
            mailbox->fetch_attachment(mailbox, host, ref.c_str(), 0, &sink.sink, &info.sink, &message.sink);
         if (round > 0) cpu.push_back(cpu_ms(RUSAGE_SELF) - start);
      }
      return median(cpu);
   };
   const double raw = ours(true, false), attachment = ours(false, true);
   const double curl =
       curl_fetch_ms("imaps://localhost:" + state["PEER_IMAPS_PORT"] + "/INBOX/;UID=" + uid,
                     state["PEER_CA_FILE"], read_file(state["PEER_DAVE_PASSWORD_FILE"]), rounds);
   std::printf(
       "\n| the 5 MB message over IMAPS | client CPU ms | libcurl's fetch of the message | ratio |\n"
       "|---|---:|---:|---:|\n");
   std::printf("| fetch_raw | %.1f | %.1f | %.2f |\n", raw, curl, raw / curl);
   std::printf("| fetch_attachment (BODYSTRUCTURE, then BINARY of the part) | %.1f | %.1f | %.2f |\n",
               attachment, curl, attachment / curl);
   session->handle.release(&session->handle);
   mailbox->handle.release(&mailbox->handle);
   return curl > 0;
}

// A 40 MB message over EWS (past the 16 MiB a response may hold in memory): stored, fetched with
// the heap sampled every millisecond, removed.
template <typename Connect>
bool ews_large_fetch(Connect &connect, const rpa_host_services *host) {
   auto [session, mailbox] = connect("EWS", "erin", "LargeEWS");
   std::string eml =
       "From: erin@contoso.test\r\nTo: erin@contoso.test\r\nSubject: mailbox_bench 40 MB\r\n"
       "Message-ID: <mailbox-bench-40@contoso.test>\r\n\r\n";
   const std::string line(76, 'x');
   while (eml.size() < 40u * 1024 * 1024) eml += line + "\r\n";
   Text ref, message;
   if (mailbox->append(mailbox, host, "inbox", eml.data(), eml.size(), &ref.sink, &message.sink) != RPA_OK) {
      std::cerr << "EWS append: " << message.text << "\n";
      return false;
   }
   PeakSink sink;
   HeapPeak peak;
   const rpa_status fetched = mailbox->fetch_raw(mailbox, host, ref.text.c_str(), &sink.sink, &message.sink);
   const double peak_mb = peak.stop_mb();
   mailbox->delete_message(mailbox, host, ref.text.c_str(), 1, &message.sink);
   std::printf(
       "\n| a 40 MB message over EWS | bytes delivered | most extra heap in use (sampled every ms) |\n"
       "|---|---:|---:|\n| fetch_raw | %zu | %.2f MB |\n",
       sink.bytes, peak_mb);
   session->handle.release(&session->handle);
   mailbox->handle.release(&mailbox->handle);
   return fetched == RPA_OK && sink.bytes == eml.size();
}

}  // namespace

int main(int argc, char **argv) {
   if (argc < 3) {
      std::cerr << "usage: mailbox_bench PEER_STATE_FILE PLUGIN_DIR [--rounds N] [--listing IMAP|POP3|EWS]\n";
      return 2;
   }
   int rounds = 10;
   std::string listing_only;  // --listing PROTOCOL: that listing row alone (for profiling it)
   for (int arg = 3; arg + 1 < argc; arg += 2) {
      if (std::string(argv[arg]) == "--rounds") rounds = std::max(1, std::atoi(argv[arg + 1]));
      if (std::string(argv[arg]) == "--listing") listing_only = argv[arg + 1];
   }
   auto state = read_state(argv[1]);
   bench::QuietHost quiet(argv[2]);
   if (!quiet.ok()) return 1;
   const rpa_host_services *host = quiet.services.services();

   rapidjson::Document ews_mailboxes;
   ews_mailboxes.Parse(read_file(state["PEER_EWS_MAILBOXES"]).c_str());
   auto connect = [&](const std::string &protocol, const std::string &user, const std::string &name) {
      const std::string address = user == "frank" ? "dave@contoso.test" : user + "@contoso.test";
      const std::string bag =
          protocol == "EWS"
              ? R"({"connection":"ews","username":")" + address + R"(","password":)" +
                    quote(ews_mailboxes["mailboxes"][address.c_str()]["password"].GetString()) +
                    R"(,"ews_url":")" + state["PEER_EWS_URL"] + R"(","ca_file":)" +
                    quote(state["PEER_CA_FILE"]) + R"(,"session_name":")" + name +
                    R"(","timeout_seconds":120})"
              : R"({"connection":"email_server","host":"localhost","tls_mode":"implicit","username":")" +
                    user + R"(","password":)" +
                    quote(read_file(state["PEER_" + std::string(user == "frank" ? "FRANK" : "DAVE") +
                                          "_PASSWORD_FILE"])) +
                    R"(,"protocol":")" + protocol + R"(","port":)" +
                    state[protocol == "IMAP" ? "PEER_IMAPS_PORT" : "PEER_POP3S_PORT"] + R"(,"ca_file":)" +
                    quote(state["PEER_CA_FILE"]) + R"(,"session_name":")" + name +
                    R"(","timeout_seconds":120})";
      auto outcome = rpa_host::invoke_action(quiet.connect, bag, quiet.services);
      if (!outcome.ok()) {
         std::cerr << protocol << ": " << outcome.message << "\n";
         std::exit(1);
      }
      return std::make_pair(
          bench::session_interface<rpa_email_session>(host, name, RPA_EMAIL_SESSION_INTERFACE),
          bench::session_interface<rpa_email_mailbox>(host, name, RPA_EMAIL_MAILBOX_INTERFACE));
   };

   std::printf(
       "| listing 1,000 summaries | round trips | bytes sent | bytes received | client CPU ms (median) | "
       "Python, same fields | ratio |\n|---|---:|---:|---:|---:|---:|---:|\n");
   std::string listing_faults;  // a count that does not depend on the machine's speed
   for (const std::string protocol : {"IMAP", "POP3", "EWS"}) {
      if (!listing_only.empty() && protocol != listing_only) continue;
      // frank's INBOX holds the 1,000 messages; on the EWS peer they are dave's "Bulk" folder.
      const char *folder = protocol == "EWS" ? "Bulk" : "inbox";
      auto [session, mailbox] = connect(protocol, "frank", protocol);
      // The page goes to a host buffer kept across rounds (its capacity stays: the plugin's own
      // cost); for IMAP, every other round to a new std::string instead, grown by doubling as the
      // pieces arrive, the cost a host that allocates a page per listing adds (its copies and
      // page faults), measured apart.
      std::vector<double> cpu, faults, cpu_new_string, faults_new_string;
      Text kept_page;
      bench::SessionStats first_before{}, first_after{};
      const int all_rounds = protocol == "IMAP" ? 2 * rounds : rounds;
      for (int round = 0; round < all_rounds; ++round) {
         // A new connection per round for POP3 (its listing is kept per connection) and a first
         // IMAP round that pays the folder list and the SELECT: each round measures the whole job.
         const bench::SessionStats before = bench::session_stats(session);
         const bool new_string = round % 2 == 1 && protocol == "IMAP";
         Text fresh_page, message;
         Text &page = new_string ? fresh_page : kept_page;
         page.text.clear();
         const long faults_before = minor_faults();
         const double start = cpu_ms(RUSAGE_SELF);
         const rpa_status status =
             mailbox->search(mailbox, host, folder, R"({"limit":1000})", &page.sink, &message.sink);
         (new_string ? cpu_new_string : cpu).push_back(cpu_ms(RUSAGE_SELF) - start);
         (new_string ? faults_new_string : faults)
             .push_back(static_cast<double>(minor_faults() - faults_before));
         if (status != RPA_OK) {
            std::cerr << protocol << " search: " << message.text << "\n";
            return 1;
         }
         if (round == 0) {
            first_before = before;
            first_after = bench::session_stats(session);
         }
         if (protocol == "POP3" || round + 1 < all_rounds) {
            session->handle.release(&session->handle);
            mailbox->handle.release(&mailbox->handle);
            rpa_host::invoke_action(quiet.disconnect, R"({"session_name":")" + protocol + "\"}",
                                    quiet.services);
            std::tie(session, mailbox) = connect(protocol, "frank", protocol);
         }
      }
      const std::string password_file = state["PEER_FRANK_PASSWORD_FILE"];
      const std::string args = state[protocol == "IMAP" ? "PEER_IMAPS_PORT" : "PEER_POP3S_PORT"] + " '" +
                               state["PEER_CA_FILE"] + "' '" + password_file + "' " + std::to_string(rounds);
      const std::string raw = protocol == "IMAP" ? python(kImaplib, args + " raw") : "";
      const std::string decoded = protocol == "IMAP"   ? python(kImaplib, args + " decode")
                                  : protocol == "POP3" ? python(kPoplib, args)
                                                       : "n/a";  // no EWS client in Debian's Python
      const double ours = median(cpu);
      auto ratio = [&](const std::string &theirs) {
         const double value = std::atof(theirs.c_str());
         if (value <= 0) return std::string("n/a");
         char text[32];
         std::snprintf(text, sizeof text, "%.2f", value > 0 ? ours / value : 0.0);
         return std::string(text);
      };
      std::printf("| %s | %llu | %llu | %llu | %.1f | %s%s decoded | %s of decoded%s |\n", protocol.c_str(),
                  first_after.round_trips - first_before.round_trips, first_after.sent - first_before.sent,
                  first_after.received - first_before.received, ours,
                  raw.empty() ? "" : (raw + " raw (imaplib), ").c_str(), decoded.c_str(),
                  ratio(decoded).c_str(), raw.empty() ? "" : (", " + ratio(raw) + " of raw").c_str());
      if (protocol == "IMAP") {
         // The least of the rounds too: on a shared machine, the round least disturbed by others.
         const std::string imaplib_best = python(kImaplib, args + " raw best");
         const double ours_best = *std::min_element(cpu.begin(), cpu.end());
         const double theirs_best = std::atof(imaplib_best.c_str());
         char line[600];
         std::snprintf(
             line, sizeof line,
             "IMAP listing, the page into a host buffer kept across rounds: %.1f ms, %ld minor page "
             "faults; into a new std::string per page: %.1f ms, %ld faults (imaplib raw: %s)\n"
             "IMAP listing, least CPU of the rounds: ours %.1f ms, imaplib raw %s ms (%.2f x)\n",
             ours, static_cast<long>(median(faults)), median(cpu_new_string),
             static_cast<long>(median(faults_new_string)), python(kImaplib, args + " raw faults").c_str(),
             ours_best, imaplib_best.c_str(), theirs_best > 0 ? ours_best / theirs_best : 0.0);
         listing_faults = line;
      } else {
         listing_faults += protocol + " listing: " + std::to_string(static_cast<long>(median(faults))) +
                           " minor page faults (median)\n";
      }
      session->handle.release(&session->handle);
      mailbox->handle.release(&mailbox->handle);
      rpa_host::invoke_action(quiet.disconnect, R"({"session_name":")" + protocol + "\"}", quiet.services);
   }
   std::printf("\n%s", listing_faults.c_str());
   if (!listing_only.empty()) return 0;

   std::printf(
       "\n| 5 MB message | protocol | bytes delivered | most extra heap in use | of the message's size |\n"
       "|---|---|---:|---:|---:|\n");
   for (const std::string protocol : {"IMAP", "POP3", "EWS"}) {
      auto [session, mailbox] = connect(protocol, "dave", "Big" + protocol);
      Text page, message;
      mailbox->search(mailbox, host, "inbox", R"({"subject":"Large attachment","limit":1})", &page.sink,
                      &message.sink);
      rapidjson::Document listed;
      listed.Parse(page.text.c_str());
      if (!listed.IsObject() || listed["messages"].Empty()) {
         std::cerr << "the 5 MB message is not there: " << message.text << "\n";
         return 1;
      }
      const std::string ref = listed["messages"][0]["ref"].GetString();
      const double size = static_cast<double>(listed["messages"][0]["size"].GetUint64());
      {
         PeakSink raw;
         mailbox->fetch_raw(mailbox, host, ref.c_str(), &raw.sink, &message.sink);
         std::printf("| fetch_raw | %s | %zu | %.2f MB | %.2f x |\n", protocol.c_str(), raw.bytes,
                     raw.peak_mb(), raw.of(size));
      }
      {
         PeakSink attachment;
         Text info;
         mailbox->fetch_attachment(mailbox, host, ref.c_str(), 0, &attachment.sink, &info.sink,
                                   &message.sink);
         std::printf("| fetch_attachment (%s) | %s | %zu | %.2f MB | %.2f x |\n",
                     protocol == "IMAP" ? "the part alone" : "spooled to a temporary file", protocol.c_str(),
                     attachment.bytes, attachment.peak_mb(), attachment.of(size));
      }
      session->handle.release(&session->handle);
      mailbox->handle.release(&mailbox->handle);
      rpa_host::invoke_action(quiet.disconnect, R"({"session_name":"Big)" + protocol + "\"}", quiet.services);
   }
   if (!fetch_vs_curl(state, rounds, connect, host) || !ews_large_fetch(connect, host)) return 1;
   std::printf(
       "\nround trips and bytes: the first listing on a new connection (IMAP: SELECT, UID SEARCH, UID "
       "FETCH;\n"
       "POP3: CAPA, UIDL, LIST, TOP pipelined in batches of 50; EWS: HTTP requests: FindFolder,\n"
       "FindItem, GetItem). CPU: %d rounds each, the plugin's in this process, Python's in its own\n"
       "(time.process_time around the same work). Heap: sampled whenever the sink receives bytes\n"
       "(the 40 MB message: every millisecond).\n",
       rounds);
   return 0;
}
