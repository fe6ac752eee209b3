// The plugin's one exported symbol, `rpa_entry` (see abi/include/rpa/plugin.h), and the
// extensions it offers: "rpa.actions/1" (abi/include/rpa/ext/actions.h) and
// "rpa.step-migration/1" (abi/include/rpa/ext/step_migration.h).
//
// Owns the action table between init and deinit, and is the only place where C++ meets the C
// ABI for actions: every exception stops here and becomes a status plus a message.
#include <ares.h>
#include <re2/re2.h>

#include <memory>
#include <mutex>
#include <stdexcept>

#include "actions/action_table.h"
#include "ews/xml_pages.h"
#include "http/http_runtime.h"
#include "net/bounded_call.h"
#include "net/tls_client_context.h"
#include "rpa/ext/actions.h"
#include "rpa/ext/step_migration.h"
#include "rpa/plugin.h"
#include "util/abi_boundary.h"
#include "util/failure.h"
#include "util/library_pin.h"

namespace {

using email::ActionTable;

// The action table lives from the first init to the matching last deinit: two hosts in one
// process (or one host loading the library twice) each init and deinit once.
std::mutex g_lifetime_mutex;
unsigned g_init_count = 0;
ActionTable *g_actions = nullptr;

bool plugin_init(const rpa_host_info *host) {
   if (!host || host->struct_size < sizeof(rpa_host_info) || !rpa_version_is_compatible(host->abi_version))
      return false;
   std::lock_guard<std::mutex> lock(g_lifetime_mutex);
   if (!g_actions) {
      if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) return false;
      try {
         if (!email::http_runtime::start()) throw std::runtime_error("no HTTP runtime");
         email::pin_library(email::library_of(reinterpret_cast<const void *>(&re2::RE2::PartialMatchN)));
         email::ews::install_xml_page_cache();  // before any XML document exists
         g_actions = new ActionTable(email::email_actions());
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
   email::bounded_calls::stop();  // joins the workers of calls that outlived their wait
   email::http_runtime::stop();   // joins every thread the plugin started
   email::TlsClientContext::clear_all();
   email::ews::drop_kept_xml_pages();
   ares_library_cleanup();
}

uint32_t actions_count() { return g_actions ? g_actions->count() : 0; }

const rpa_action_descriptor *actions_get(uint32_t index) {
   return g_actions ? g_actions->descriptor(index) : nullptr;
}

rpa_status actions_invoke(const char *action_id, const char *properties_json, size_t properties_size,
                          const rpa_host_services *host, rpa_invoke_result *out) {
   const bool has_session_slot = out && out->struct_size >= sizeof(rpa_invoke_result);
   const rpa_text_sink *message = out ? out->message : nullptr;
   return email::guard_boundary(message, "the Email plugin", [&] {
      if (has_session_slot) out->session = nullptr;
      if (!g_actions) throw email::Failure(RPA_INTERNAL, "the Email plugin was not initialised");
      email::ActionOutcome outcome =
          g_actions->invoke(action_id, properties_json, properties_size, email::HostServices(host));
      email::write_text(message, outcome.message);
      if (out) email::write_text(out->result, outcome.result_json);
      if (has_session_slot) out->session = outcome.session;
      return RPA_OK;
   });
}

const rpa_plugin_actions g_actions_extension = {actions_count, actions_get, actions_invoke};

rpa_status migrate_step(const char *action_id, const char *properties_json, size_t properties_size,
                        const rpa_text_sink *out) {
   return email::guard_boundary(out, "the Email plugin", [&] {
      if (!g_actions) throw email::Failure(RPA_INTERNAL, "the Email plugin was not initialised");
      const email::SecretString answer = g_actions->migrate(action_id, properties_json, properties_size);
      if (rpa_text_sink_is_usable(out)) out->append(out, answer.data(), answer.size());
      return RPA_OK;
   });
}

const rpa_plugin_step_migration g_step_migration_extension = {migrate_step};

const void *plugin_get_extension(const char *extension_id) {
   if (rpa_extension_id_is(extension_id, RPA_EXT_ACTIONS)) return &g_actions_extension;
   if (rpa_extension_id_is(extension_id, RPA_EXT_STEP_MIGRATION)) return &g_step_migration_extension;
   return nullptr;
}

}  // namespace

extern "C" RPA_EXPORT const rpa_plugin_entry rpa_entry = {
    RPA_VERSION_INIT, sizeof(rpa_plugin_entry), "org.rpa.email", EMAIL_PLUGIN_VERSION, plugin_init,
    plugin_deinit,    plugin_get_extension,
};
