// Action: one entry of the plugin's action table. Each action parses its own property bag and
// reports through an ActionOutcome; the entry point turns exceptions into statuses.
#pragma once

#include <cstddef>
#include <string>

#include "host/host_services.h"
#include "properties/action_schema.h"
#include "rpa/plugin.h"

namespace email {

struct ActionOutcome {
   std::string message;                       // for the bot designer
   std::string result_json = "{}";            // a JSON object
   const rpa_session_handle *session = nullptr;  // borrowed (the host's store holds it)
};

class Action {
 public:
   virtual ~Action() = default;
   virtual const rpa_action_descriptor &descriptor() const = 0;
   // Throws Failure on every error.
   virtual ActionOutcome invoke(const char *properties_json, std::size_t properties_size,
                                const HostServices &host) const = 0;
};

}  // namespace email
