// migrate_bot: `rpa-host migrate BOT.json`. Prints the bot file to `out` with each step rewritten
// by the plugin that offers its action, through that plugin's "rpa.step-migration/1" extension
// (abi/include/rpa/ext/step_migration.h); the Email plugin turns EWS steps that reach Exchange
// Online into Microsoft Graph steps. The file itself is not changed: redirect `out` to a new file.
//
// On `errors`, one line per note: `step N (ACTION "SESSION"): note` (what changed, permissions to
// grant, why a step was left as it is), then a summary line. Steps of plugins without the
// extension, and of actions no loaded plugin offers, are copied as they are (the latter noted).
// Other members of the file and of each step are kept; the output is indented JSON.
#pragma once

#include <ostream>
#include <string>

#include "plugin_registry.h"

namespace rpa_host {

// kExitOk, kExitStepFailed when a plugin could not migrate a step (the bot is then not
// printed), kExitUsage for an unreadable or malformed bot file.
int migrate_bot(const std::string &bot_path, const PluginRegistry &plugins, std::ostream &out,
                std::ostream &errors);

}  // namespace rpa_host
