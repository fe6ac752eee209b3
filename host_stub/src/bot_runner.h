// run_bot: runs a bot file's steps in order in this process.
//
// A bot file is {"steps": [{"action": "Email.Connect", "properties": {...}}, ...]}. Each step's
// outcome is printed: with `json`, one object per line {"step", "action", "status", "code",
// "message", "result"}; otherwise a readable line. Stops at the first failed step.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "host_services_table.h"
#include "plugin_registry.h"
#include "rpa_common/secret.h"

namespace rpa_host {

enum ExitCode { kExitOk = 0, kExitStepFailed = 1, kExitUsage = 2 };

struct BotStep {
   std::string action;           // "Email.Connect"
   std::string properties_json;  // may hold typed passwords; wiped after the step
};

// Reads the bot file at `path` into `content` (wiping memory: it may hold typed passwords). False,
// said on `errors`, when it cannot be read.
bool read_bot_file(const std::string &path, rpa::SecretString &content, std::ostream &errors);

// The steps of a bot file's text (pure; fuzzed). False, explained on `errors` naming `path`, for
// text that is not a bot file.
bool parse_bot(std::string_view content, const std::string &path, std::vector<BotStep> &steps,
               std::ostream &errors);

// Returns kExitOk, kExitStepFailed, or kExitUsage for an unreadable or malformed bot file
// (explained on `errors`).
int run_bot(const std::string &bot_path, const PluginRegistry &plugins, const HostServicesTable &host,
            bool json, std::ostream &out, std::ostream &errors);

}  // namespace rpa_host
