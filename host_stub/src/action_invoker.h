// invoke_action: calls one plugin action through the C ABI and collects its outcome as C++
// values, with sinks the host owns.
#pragma once

#include <string>

#include "rpa/status.h"

#include "host_services_table.h"
#include "plugin_registry.h"

namespace rpa_host {

struct ActionOutcome {
   rpa_status status = RPA_INTERNAL;
   std::string message;
   std::string result_json;  // "{}" when the plugin wrote nothing
   // For Connect: the session now in the session table (borrowed; the table holds it).
   const rpa_session_handle *session = nullptr;
   bool ok() const { return status == RPA_OK; }
};

// Writes "status" ("ok" / "error"), "code" (the status's name) and "message" members of `outcome`
// into an open JSON object.
template <typename JsonWriter>
void write_outcome_members(JsonWriter &json, const ActionOutcome &outcome) {
   json.Key("status");
   json.String(outcome.ok() ? "ok" : "error");
   json.Key("code");
   json.String(rpa_status_name(outcome.status));
   json.Key("message");
   json.String(outcome.message.c_str());
}

ActionOutcome invoke_action(const FoundAction &action, const std::string &properties_json,
                            const HostServicesTable &host);

}  // namespace rpa_host
