// rpa-host: the reference host. Loads plugins, keeps a Credential Vault and a session table, and
// runs bot files. See cli.h for the command line.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <iostream>

#include "cli.h"
#include "designer/designer.h"

namespace {
std::atomic<bool> g_cancelled{false};

extern "C" void on_interrupt(int) {
   // First Ctrl-C: ask the running step to stop. A second one ends the process.
   if (g_cancelled.exchange(true)) ::_exit(130);
}
}  // namespace

int main(int argc, char **argv) {
   struct sigaction action {};
   action.sa_handler = on_interrupt;
   sigemptyset(&action.sa_mask);
   sigaction(SIGINT, &action, nullptr);
   sigaction(SIGTERM, &action, nullptr);
   signal(SIGPIPE, SIG_IGN);

   rpa_host::CommandLine line;
   if (!rpa_host::parse_command_line(argc, argv, line, std::cerr)) return 2;
   int code = line.command[0] == "designer"
                  ? rpa_host::run_designer({line.plugin_folders, line.vault_path, line.verbose,
                                            line.designer_port, line.designer_bots},
                                           g_cancelled, std::cout, std::cerr)
                  : rpa_host::run_command(line, g_cancelled, std::cin, std::cout, std::cerr);
   return g_cancelled.load() && code != 0 ? 130 : code;
}
