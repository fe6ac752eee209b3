// The rpa-host command line (a contract; see README.md):
//   rpa-host [--plugins DIR]... [--vault FILE] [--json] [--verbose] actions
//   rpa-host ... schema ACTION
//   rpa-host ... run BOT.json
//   rpa-host ... migrate BOT.json            (the bot with steps rewritten; notes on stderr)
//   rpa-host ... authorize PROPERTIES.json   (an OAuth2 sign-in in the browser, kept in the vault)
//   rpa-host ... vault set LOCKER CREDENTIAL ATTRIBUTE   (value from stdin)
//   rpa-host ... vault list
//   rpa-host ... vault rm LOCKER [CREDENTIAL [ATTRIBUTE]]
//   rpa-host ... designer [--port N] [--bots DIR]   (designer/designer.h; in the executable only)
// Exit status: 0 success, 1 a step or command failed, 2 bad command line or bot file (a designer
// --port outside 1-65535 too).
#pragma once

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "host_services_table.h"
#include "vault.h"

namespace rpa_host {

class CancelSignal;

struct CommandLine {
   std::vector<std::string> plugin_folders;  // default: ../plugins next to the executable
   std::string vault_path;                   // --vault, else $RPA_VAULT_FILE
   bool json = false;
   bool verbose = false;              // protocol traces (secrets redacted)
   std::vector<std::string> command;  // the command and its arguments
   std::uint16_t designer_port = 0;   // designer --port; 0: a free port
   std::string designer_bots = ".";   // designer --bots: the only folder of bot files
};

// Parses argv. Returns false (with a message on `errors`) for a bad command line.
bool parse_command_line(int argc, char **argv, CommandLine &line, std::ostream &errors);

// Runs the parsed command. `cancelled` is set by the caller's signal handler; `signal`, when
// given, is offered to the plugins as "rpa.cancel-signal/1" (it raises the same flag).
int run_command(const CommandLine &line, const std::atomic<bool> &cancelled, std::istream &in,
                std::ostream &out, std::ostream &errors, CancelSignal *signal = nullptr);

// The vault --vault (or RPA_VAULT_FILE) names, opened with RPA_VAULT_PASSPHRASE; nullptr when none
// is named (said on `errors` when `required`). Throws VaultError / WrongPassphrase.
std::unique_ptr<Vault> open_vault(const CommandLine &line, bool required, std::ostream &errors);

// The command line's browser: prints the address on `errors` and shows it on the desktop, if any.
UrlOpener terminal_browser(std::ostream &errors);

}  // namespace rpa_host
