// Action: what one entry of the plugin's action table is. An action is a descriptor (ids and
// palette labels), the schema its bag follows, and a `run` function that receives the bag already
// parsed and validated against that schema (see ActionTable::invoke, the one invoke path).
#pragma once

#include <string>
#include <vector>

#include "host/host_services.h"
#include "properties/action_schema.h"
#include "rpa/ext/actions.h"
#include "util/secret.h"

namespace email {

struct ActionOutcome {
   std::string message;                          // for the bot designer
   std::string result_json = "{}";               // a JSON object
   const rpa_session_handle *session = nullptr;  // borrowed (the host's store holds it)
};

// Runs an action on a valid bag. Throws Failure on every error.
using ActionRun = ActionOutcome (*)(const ActionSchema &schema, const SecretDocument &bag,
                                    const HostServices &host);

// A saved step rewritten the way the plugin now recommends ("rpa.step-migration/1").
struct StepMigration {
   bool changed = false;
   SecretDocument properties;       // the rewritten bag when changed
   std::vector<std::string> notes;  // for the person migrating; never a secret
};

// Looks at a saved step's bag (parsed, not validated: old bots may predate the schema).
using ActionMigrate = StepMigration (*)(const ActionSchema &schema, const SecretDocument &bag);

struct ActionDefinition {
   const char *id;       // "email.connect/1"
   const char *package;  // "Email"
   const char *name;     // "Connect"
   const char *label_en;
   const char *label_ja;
   const char *description_en;
   const char *schema_text;  // embedded schema; actions naming the same text share one ActionSchema
   ActionRun run;
   ActionMigrate migrate = nullptr;  // nullptr: nothing to migrate
};

}  // namespace email
