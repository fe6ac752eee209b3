// connect_bench: how long a Connect takes, and what it costs on the wire, per connection mode.
//
// Loads the real plugin into the real host parts and connects to the Dovecot peer that
// scripts/bench.sh starts, `--runs` times per mode, each followed by Disconnect. Prints, per mode,
// the round trips and bytes of one login (deterministic: they do not depend on machine noise) and
// the median and 90th percentile wall time of Connect (which does).
//
//   connect_bench PEER_STATE_FILE PLUGIN_DIR [--runs N]
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
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

using bench::quote;
using bench::read_file;
using bench::read_state;

namespace {

struct Mode {
   std::string name, bag;
};

}  // namespace

int main(int argc, char **argv) {
   if (argc < 3) {
      std::cerr << "usage: connect_bench PEER_STATE_FILE PLUGIN_DIR [--runs N]\n";
      return 2;
   }
   int runs = 30;
   if (argc == 5 && std::string(argv[3]) == "--runs") runs = std::max(1, std::atoi(argv[4]));
   auto state = read_state(argv[1]);
   const std::string password = read_file(state["PEER_ALICE_PASSWORD_FILE"]);

   bench::QuietHost quiet_host(argv[2]);
   if (!quiet_host.ok()) return 1;
   const rpa_host::FoundAction &connect = quiet_host.connect;
   const rpa_host::FoundAction &disconnect = quiet_host.disconnect;
   const rpa_host::HostServicesTable &host = quiet_host.services;

   auto mail_bag = [&](const std::string &protocol, const std::string &port_variable,
                       const std::string &extra) {
      return R"({"connection":"email_server","host":"localhost","username":"alice","password":)" +
             quote(password) + R"(,"protocol":")" + protocol + R"(","port":)" + state[port_variable] +
             R"(,"ca_file":)" + quote(state["PEER_CA_FILE"]) + extra + "}";
   };
   // The identity and EWS peers' test accounts (tests/peers/identity, tests/peers/ews).
   rapidjson::Document directory, mailboxes;
   directory.Parse(read_file(state["PEER_IDENTITY_DIRECTORY"]).c_str());
   mailboxes.Parse(read_file(state["PEER_EWS_MAILBOXES"]).c_str());
   const std::string oauth = R"(,"client_id":")" + std::string(directory["public_clients"][0].GetString()) +
                             R"(","tenant_id":")" + directory["tenant"].GetString() + R"(","authority":")" +
                             state["PEER_AUTHORITY"] + "\"";
   const std::string identity_password = directory["users"]["alice"]["password"].GetString();
   const std::string ews = R"({"connection":"ews","username":"alice@contoso.test","ews_url":")" +
                           state["PEER_EWS_URL"] + R"(","ca_file":)" + quote(state["PEER_CA_FILE"]);
   const std::vector<Mode> modes = {
       {"IMAP implicit TLS", mail_bag("IMAP", "PEER_IMAPS_PORT", R"(,"tls_mode":"implicit")")},
       {"IMAP STARTTLS", mail_bag("IMAP", "PEER_IMAP_STARTTLS_PORT", "")},
       {"IMAP plain text", mail_bag("IMAP", "PEER_PLAIN_IMAP_PORT", R"(,"use_secure_connection":false)")},
       {"POP3 implicit TLS", mail_bag("POP3", "PEER_POP3S_PORT", R"(,"tls_mode":"implicit")")},
       {"POP3 STLS", mail_bag("POP3", "PEER_POP3_STLS_PORT", "")},
       {"POP3 plain text", mail_bag("POP3", "PEER_PLAIN_POP3_PORT", R"(,"use_secure_connection":false)")},
       {"IMAP OAUTHBEARER (token reused)",
        R"({"connection":"email_server","host":"localhost","username":"alice","protocol":"IMAP","tls_mode":"implicit","auth_type":"oauth2","port":)" +
            state["PEER_OAUTH_IMAPS_PORT"] + R"(,"ca_file":)" + quote(state["PEER_CA_FILE"]) +
            R"(,"password":)" + quote(identity_password) + oauth + "}"},
       {"EWS Basic", ews + R"(,"password":)" +
                         quote(mailboxes["mailboxes"]["alice@contoso.test"]["password"].GetString()) + "}"},
       {"EWS OAuth2 app-only (token reused)",
        ews + R"(,"auth_type":"oauth2_app","client_id":")" +
            directory["confidential_clients"].MemberBegin()->name.GetString() + R"(","client_secret":)" +
            quote(directory["confidential_clients"].MemberBegin()->value.GetString()) + R"(,"tenant_id":")" +
            directory["tenant"].GetString() + R"(","authority":")" + state["PEER_AUTHORITY"] + "\"}"},
   };
   std::printf("| mode | round trips | bytes sent | bytes received | median ms | p90 ms |\n");
   std::printf("|---|---:|---:|---:|---:|---:|\n");
   for (const Mode &mode : modes) {
      const std::string &bag = mode.bag;
      std::vector<double> milliseconds;
      rapidjson::Document info;
      for (int run = 0; run < runs; ++run) {
         auto start = std::chrono::steady_clock::now();
         rpa_host::ActionOutcome outcome = rpa_host::invoke_action(connect, bag, host);
         milliseconds.push_back(
             std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
         if (!outcome.ok()) {
            std::cerr << mode.name << ": " << outcome.message << "\n";
            return 1;
         }
         info.Parse(outcome.result_json.c_str());
         rpa_host::invoke_action(disconnect, "{}", host);
      }
      std::sort(milliseconds.begin(), milliseconds.end());
      const auto &session = info["session"];
      std::printf("| %s | %llu | %llu | %llu | %.2f | %.2f |\n", mode.name.c_str(),
                  static_cast<unsigned long long>(session["round_trips"].GetUint64()),
                  static_cast<unsigned long long>(session["bytes_sent"].GetUint64()),
                  static_cast<unsigned long long>(session["bytes_received"].GetUint64()),
                  milliseconds[milliseconds.size() / 2], milliseconds[milliseconds.size() * 9 / 10]);
   }
   std::printf(
       "\nround trips and bytes: the protocol conversation up to the logged-in state, after the\n"
       "TCP and TLS handshakes (which add 1 and 1-2 round trips); for EWS, HTTP requests and\n"
       "their headers and bodies. OAuth2 rows reuse the access token after the first run (the\n"
       "token request is not counted). Times: %d runs each.\n",
       runs);
   return 0;
}
