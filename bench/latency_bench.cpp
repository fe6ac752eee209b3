// latency_bench: the wall time of listing 1,000 summaries when the server is far away: every
// byte between the plugin and the peer goes through a loopback proxy that holds it 50 ms (one
// way) in each direction (delay_proxy.h), as a server across an ocean would.
//
// Against the peers scripts/bench.sh starts, a page of 1,000 summaries (search, limit 1000):
//   - IMAP: frank's INBOX on Dovecot, beside Python's imaplib doing the same I/O through the
//     same proxy (SELECT, UID SEARCH, UID FETCH of the same items, no decoding);
//   - EWS: dave's "Bulk" folder on the EWS peer (FindFolder, FindItem, GetItem);
//   - Microsoft 365: dave's "Bulk" folder on the Graph peer (the folder, then one $top=1000 page);
//   - EWS and Microsoft 365 again for a folder named by its role: a page of 5 of dave's inbox
//     (EWS: GetFolder of the inbox and msgfolderroot, FindItem, GetItem; Graph: one batch, the page).
// Each round connects anew (not timed) and times two listings: the first on the new connection,
// which pays for finding the folder, and a second one on the same session. Reported: the
// median wall time of --rounds, and the round trips each listing waited for (the session's
// count), whose floor is round trips x 100 ms.
//
//   latency_bench PEER_STATE_FILE PLUGIN_DIR [--rounds N] [--delay-ms N]
#include <rapidjson/document.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "bench_support.h"
#include "delay_proxy.h"
#include "rpa/ext/email_mailbox.h"
#include "rpa/ext/email_session.h"

using bench::median;
using bench::python;
using bench::quote;
using bench::read_file;
using bench::read_state;
using bench::Text;

namespace {

const char *kImaplib = R"(import imaplib, ssl, sys, time
port, ca, password, rounds = int(sys.argv[1]), sys.argv[2], open(sys.argv[3]).read(), int(sys.argv[4])
times = []
for _ in range(rounds):
    m = imaplib.IMAP4_SSL('localhost', port, ssl_context=ssl.create_default_context(cafile=ca))
    m.login('frank', password)
    start = time.perf_counter()
    m.select('INBOX')
    uids = m.uid('SEARCH', None, 'ALL')[1][0].split()[-1000:]
    m.uid('FETCH', b','.join(uids), '(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID)] BODYSTRUCTURE)')
    times.append((time.perf_counter() - start) * 1000)
    m.logout()
print('%.0f' % sorted(times)[len(times) // 2])
)";

double now_ms() {
   return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
       .count();
}

// "https://host:PORT/rest" with PORT replaced by `port`.
std::string with_port(const std::string &url, std::uint16_t port) {
   const std::size_t colon = url.find(':', url.find("//") + 2);
   const std::size_t slash = url.find('/', colon);
   return url.substr(0, colon + 1) + std::to_string(port) +
          (slash == std::string::npos ? "" : url.substr(slash));
}

std::uint16_t port_of(const std::string &url) {
   const std::size_t colon = url.find(':', url.find("//") + 2);
   return static_cast<std::uint16_t>(std::atoi(url.c_str() + colon + 1));
}

struct Listing {
   Listing(std::string label_, std::string protocol_, std::string folder_, unsigned limit_ = 1000)
       : label(std::move(label_)),
         protocol(std::move(protocol_)),
         folder(std::move(folder_)),
         limit(limit_) {}
   std::string label, protocol, folder;
   unsigned limit;
   std::vector<double> first_ms, again_ms;
   unsigned long long first_trips = 0, again_trips = 0;
   bool ok = true;
};

}  // namespace

int main(int argc, char **argv) {
   if (argc < 3) {
      std::cerr << "usage: latency_bench PEER_STATE_FILE PLUGIN_DIR [--rounds N] [--delay-ms N]\n";
      return 2;
   }
   int rounds = 3, delay_ms = 50;
   for (int i = 3; i + 1 < argc; i += 2) {
      if (std::string(argv[i]) == "--rounds") rounds = std::max(1, std::atoi(argv[i + 1]));
      if (std::string(argv[i]) == "--delay-ms") delay_ms = std::max(0, std::atoi(argv[i + 1]));
   }
   auto state = read_state(argv[1]);
   bench::QuietHost quiet(argv[2]);
   if (!quiet.ok()) return 1;
   const rpa_host_services *host = quiet.services.services();
   const std::chrono::milliseconds delay(delay_ms);

   bench::DelayProxy imap_proxy(static_cast<std::uint16_t>(std::atoi(state["PEER_IMAPS_PORT"].c_str())),
                                delay);
   bench::DelayProxy ews_proxy(port_of(state["PEER_EWS_URL"]), delay);
   bench::DelayProxy graph_proxy(port_of(state["PEER_GRAPH_URL"]), delay);
   if (!imap_proxy.port() || !ews_proxy.port() || !graph_proxy.port()) {
      std::cerr << "the delay proxies could not listen\n";
      return 1;
   }

   rapidjson::Document ews_mailboxes, directory;
   ews_mailboxes.Parse(read_file(state["PEER_EWS_MAILBOXES"]).c_str());
   directory.Parse(read_file(state["PEER_IDENTITY_DIRECTORY"]).c_str());
   const std::string ca = quote(state["PEER_CA_FILE"]);
   auto bag_for = [&](const std::string &protocol) -> std::string {
      if (protocol == "IMAP")
         return R"({"connection":"email_server","host":"localhost","tls_mode":"implicit","protocol":"IMAP","username":"frank","password":)" +
                quote(read_file(state["PEER_FRANK_PASSWORD_FILE"])) + R"(,"port":)" +
                std::to_string(imap_proxy.port()) + R"(,"ca_file":)" + ca +
                R"(,"session_name":"Far","timeout_seconds":120})";
      if (protocol == "EWS")
         return R"({"connection":"ews","username":"dave@contoso.test","password":)" +
                quote(ews_mailboxes["mailboxes"]["dave@contoso.test"]["password"].GetString()) +
                R"(,"ews_url":")" + with_port(state["PEER_EWS_URL"], ews_proxy.port()) + R"(","ca_file":)" +
                ca + R"(,"session_name":"Far","timeout_seconds":120})";
      // App-only (client credentials) for dave's mailbox, as the mailbox tests sign in.
      const auto &client = *directory["confidential_clients"].MemberBegin();
      return R"({"connection":"microsoft365","auth_type":"oauth2_app","username":"dave@contoso.test","client_id":)" +
             quote(client.name.GetString()) + R"(,"client_secret":)" + quote(client.value.GetString()) +
             R"(,"tenant_id":)" + quote(directory["tenant"].GetString()) + R"(,"authority":)" +
             quote(state["PEER_AUTHORITY"]) + R"(,"graph_url":")" +
             with_port(state["PEER_GRAPH_URL"], graph_proxy.port()) + R"(","ca_file":)" + ca +
             R"(,"session_name":"Far","timeout_seconds":120})";
   };

   std::vector<Listing> results = {{"IMAP (INBOX)", "IMAP", "inbox"},
                                   {"EWS (a folder by path)", "EWS", "Bulk"},
                                   {"Microsoft 365 (a folder by path)", "Microsoft 365", "Bulk"},
                                   {"EWS (the inbox by role, 5)", "EWS", "inbox", 5},
                                   {"Microsoft 365 (the inbox by role, 5)", "Microsoft 365", "inbox", 5}};
   for (Listing &listing : results) {
      const std::string &protocol = listing.protocol;
      const std::string query = R"({"limit":)" + std::to_string(listing.limit) + "}";
      for (int round = 0; round < rounds && listing.ok; ++round) {
         auto outcome = rpa_host::invoke_action(quiet.connect, bag_for(protocol), quiet.services);
         if (!outcome.ok()) {
            std::cerr << protocol << ": " << outcome.message << "\n";
            return 1;
         }
         auto *session =
             bench::session_interface<rpa_email_session>(host, "Far", RPA_EMAIL_SESSION_INTERFACE);
         auto *mailbox =
             bench::session_interface<rpa_email_mailbox>(host, "Far", RPA_EMAIL_MAILBOX_INTERFACE);
         for (int pass = 0; pass < 2 && listing.ok; ++pass) {
            Text page, message;
            const unsigned long long trips = bench::session_stats(session).round_trips;
            const double start = now_ms();
            const rpa_status status = mailbox->search(mailbox, host, listing.folder.c_str(), query.c_str(),
                                                      &page.sink, &message.sink);
            const double took = now_ms() - start;
            rapidjson::Document listed;
            listed.Parse(page.text.c_str());
            if (status != RPA_OK || !listed.IsObject() || listed["messages"].Size() != listing.limit) {
               std::cerr << listing.label << " search: "
                         << (status != RPA_OK ? message.text
                                              : "not " + std::to_string(listing.limit) + " summaries")
                         << "\n";
               listing.ok = false;
            }
            (pass == 0 ? listing.first_ms : listing.again_ms).push_back(took);
            (pass == 0 ? listing.first_trips : listing.again_trips) =
                bench::session_stats(session).round_trips - trips;
         }
         session->handle.release(&session->handle);
         mailbox->handle.release(&mailbox->handle);
         rpa_host::invoke_action(quiet.disconnect, R"({"session_name":"Far"})", quiet.services);
      }
      if (!listing.ok) return 1;
   }
   const std::string imaplib =
       python(kImaplib, std::to_string(imap_proxy.port()) + " '" + state["PEER_CA_FILE"] + "' '" +
                            state["PEER_FRANK_PASSWORD_FILE"] + "' " + std::to_string(rounds));

   std::printf(
       "| listing 1,000 summaries (or as said), %d ms each way | round trips | wall ms (median) | again on "
       "the session: "
       "round trips | wall ms | peer, same I/O |\n|---|---:|---:|---:|---:|---|\n",
       delay_ms);
   for (const Listing &listing : results) {
      std::printf("| %s | %llu | %.0f | %llu | %.0f | %s |\n", listing.label.c_str(), listing.first_trips,
                  median(listing.first_ms), listing.again_trips, median(listing.again_ms),
                  listing.protocol == "IMAP"
                      ? (imaplib + " ms (imaplib: SELECT, UID SEARCH, UID FETCH)").c_str()
                      : "none");
   }
   std::printf(
       "\nwall time from the search call to its return, %d rounds, each on a new connection; round\n"
       "trips: the session's count (HTTP requests for EWS and Microsoft 365), whose floor is\n"
       "round trips x %d ms.\n",
       rounds, 2 * delay_ms);
   return 0;
}
