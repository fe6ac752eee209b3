// The plugin's one exported symbol, `rpa_entry` (see abi/include/rpa/plugin.h).
//
// Owns the action table between init and deinit, and is the only place where C++ meets the C
// ABI for actions: every exception stops here and becomes a status plus a message.
#include <ares.h>

#include <memory>
#include <mutex>
#include <vector>

#include "actions/authorize_action.h"
#include "actions/connect_action.h"
#include "actions/disconnect_action.h"
#include "embedded_schemas.h"
#include "http/http_runtime.h"
#include "util/library_pin.h"

#include <re2/re2.h>
#include "rpa/plugin.h"
#include "util/abi_boundary.h"
#include "util/failure.h"
#include "util/text.h"
#include "rpa_common/names.h"

namespace {

using email::Action;

// The action table lives from the first init to the matching last deinit: two hosts in one
// process (or one host loading the library twice) each init and deinit once.
std::mutex g_lifetime_mutex;
unsigned g_init_count = 0;
std::vector<std::unique_ptr<Action>> *g_actions = nullptr;

bool plugin_init(const rpa_host_info *host) {
   if (!host || host->struct_size < sizeof(rpa_host_info) ||
       !rpa_version_is_compatible(host->abi_version))
      return false;
   std::lock_guard<std::mutex> lock(g_lifetime_mutex);
   if (!g_actions) {
      if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) return false;
      try {
         if (!email::http_runtime::start()) throw std::runtime_error("no HTTP runtime");
         email::pin_library(email::library_of(reinterpret_cast<const void *>(&re2::RE2::PartialMatchN)));
         auto actions = std::make_unique<std::vector<std::unique_ptr<Action>>>();
         actions->push_back(std::make_unique<email::ConnectAction>(email::embedded::connect_schema));
         actions->push_back(std::make_unique<email::AuthorizeAction>(email::embedded::connect_schema));
         actions->push_back(
             std::make_unique<email::DisconnectAction>(email::embedded::disconnect_schema));
         g_actions = actions.release();
      } catch (...) {
         ares_library_cleanup();
         return false;
      }
   }
   ++g_init_count;
   return true;
}

void plugin_deinit() {
   std::lock_guard<std::mutex> lock(g_lifetime_mutex);
   if (g_init_count == 0 || --g_init_count > 0) return;
   delete g_actions;
   g_actions = nullptr;
   email::http_runtime::stop();  // joins every thread the plugin started
   ares_library_cleanup();
}

uint32_t plugin_action_count() { return g_actions ? static_cast<uint32_t>(g_actions->size()) : 0; }

const rpa_action_descriptor *plugin_get_action(uint32_t index) {
   if (!g_actions || index >= g_actions->size()) return nullptr;
   return &(*g_actions)[index]->descriptor();
}

rpa_status plugin_invoke(const char *action_id, const char *properties_json,
                         size_t properties_size, const rpa_host_services *host,
                         rpa_invoke_result *out) {
   const rpa_text_sink *message = out ? out->message : nullptr;
   return email::guard_boundary(message, "the Email plugin", [&] {
      if (out && out->struct_size >= sizeof(rpa_invoke_result)) out->session = nullptr;
      if (!g_actions) throw email::Failure(RPA_INTERNAL, "the Email plugin was not initialised");
      if (!action_id || !rpa::is_clean_name(action_id))
         throw email::Failure(RPA_INVALID_PROPERTIES, "the action id is missing, empty or holds control characters");
      const Action *action = nullptr;
      for (const auto &candidate : *g_actions)
         if (std::string(candidate->descriptor().id) == action_id) action = candidate.get();
      if (!action)
         throw email::Failure(RPA_UNSUPPORTED, std::string("the Email plugin has no action \"") +
                                                   email::printable(action_id, 100) + "\"");
      email::HostServices services(host);
      email::ActionOutcome outcome = action->invoke(properties_json, properties_size, services);
      email::write_text(message, outcome.message);
      if (out) email::write_text(out->result, outcome.result_json);
      if (out && out->struct_size >= sizeof(rpa_invoke_result)) out->session = outcome.session;
      return RPA_OK;
   });
}

}  // namespace

extern "C" RPA_EXPORT const rpa_plugin_entry rpa_entry = {
    RPA_VERSION_INIT,
    "org.rpa.email",
    "0.1.0",
    plugin_init,
    plugin_deinit,
    plugin_action_count,
    plugin_get_action,
    plugin_invoke,
};
