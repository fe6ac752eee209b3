// run_bot: runs a bot file's steps in order in this process.
//
// A bot file is {"steps": [{"action": "Email.Connect", "properties": {...}}, ...]}. Each step's
// outcome is printed: with `json`, one object per line {"step", "action", "status", "code",
// "message", "result"}; otherwise a readable line. Stops at the first failed step.
#pragma once

#include <ostream>
#include <string>

#include "host_services_table.h"
#include "plugin_registry.h"

namespace rpa_host {

enum ExitCode { kExitOk = 0, kExitStepFailed = 1, kExitUsage = 2 };

// Returns kExitOk, kExitStepFailed, or kExitUsage for an unreadable or malformed bot file
// (explained on `errors`).
int run_bot(const std::string &bot_path, const PluginRegistry &plugins,
            const HostServicesTable &host, bool json, std::ostream &out, std::ostream &errors);

}  // namespace rpa_host
