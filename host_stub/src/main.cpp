// rpa-host: the reference host. Loads plugins, keeps a Credential Vault and a session table, and
// runs bot files. See cli.h for the command line.
#include <atomic>
#include <iostream>

#include "cancel_signal.h"
#include "cli.h"
#include "designer/designer.h"
#include "system/console.h"

namespace {
std::atomic<bool> g_cancelled{false};                 // the first Ctrl-C asks the running step to stop
rpa_host::CancelSignal g_cancel_signal{g_cancelled};  // and tells the plugins that subscribed
}  // namespace

int main(int argc, char **argv) {
   rpa_host::prepare_console(g_cancelled, [] { g_cancel_signal.cancel(); });
   std::vector<std::string> arguments = rpa_host::utf8_arguments(argc, argv);
   std::vector<char *> pointers;
   for (std::string &argument : arguments) pointers.push_back(argument.data());
   pointers.push_back(nullptr);

   rpa_host::CommandLine line;
   if (!rpa_host::parse_command_line(static_cast<int>(arguments.size()), pointers.data(), line, std::cerr))
      return 2;
   int code =
       line.command[0] == "designer"
           ? rpa_host::run_designer(
                 {line.plugin_folders, line.vault_path, line.verbose, line.designer_port, line.designer_bots},
                 g_cancelled, std::cout, std::cerr, &g_cancel_signal)
           : rpa_host::run_command(line, g_cancelled, std::cin, std::cout, std::cerr, &g_cancel_signal);
   return g_cancelled.load() && code != 0 ? 130 : code;
}
