/* The plugin entry: the one symbol a plugin exports.
 *
 * A plugin is a shared library exporting `const rpa_plugin_entry rpa_entry` (RPA_ENTRY_SYMBOL).
 * The host reads `abi_version`, refuses an incompatible major, calls `init` once, then may call
 * `action_count`, `get_action` and `invoke` from any thread, and calls `deinit` once after the
 * last invoke returned and the last session handle from this plugin was released.
 *
 * No C++ type and no exception crosses this boundary; errors are rpa_status values plus a message
 * written to a host-owned sink. */
#ifndef RPA_PLUGIN_H
#define RPA_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "email_session.h"
#include "host.h"
#include "private_macros.h"
#include "session.h"
#include "status.h"
#include "text_sink.h"
#include "version.h"

RPA_EXTERN_C_BEGIN

#define RPA_ENTRY_SYMBOL "rpa_entry"

/* Describes one action for the Actions palette. Owned by the plugin; every pointer stays valid
 * from init until deinit. */
typedef struct rpa_action_descriptor {
   uint32_t struct_size;
   const char *id;             /* revisioned id, e.g. "email.connect/1" */
   const char *package;        /* palette package, e.g. "Email" */
   const char *name;           /* action name in the package, e.g. "Connect" */
   const char *label_en;       /* palette label, English */
   const char *label_ja;       /* palette label, Japanese */
   const char *description_en; /* one sentence for the palette's tooltip */
   const char *schema_json;    /* JSON Schema (draft-04) of the property bag, UTF-8 */
} rpa_action_descriptor;

/* Where invoke puts its outcome. The host owns the struct and the sinks. */
typedef struct rpa_invoke_result {
   uint32_t struct_size;
   const rpa_text_sink *message; /* a sentence for the bot designer, on success and failure */
   const rpa_text_sink *result;  /* a JSON object (may stay empty on failure) */
   /* Out: for Connect, the session now stored under its name. Borrowed: the store holds the
    * reference; retain it to keep it beyond the store's removal. NULL for other actions. */
   const rpa_session_handle *session;
} rpa_invoke_result;

/* What the host tells a plugin about itself. Owned by the host, valid during init. */
typedef struct rpa_host_info {
   uint32_t struct_size;
   rpa_version abi_version; /* the host's; a plugin refuses an incompatible major */
   const char *host_name;   /* e.g. "rpa-host" */
   const char *plugin_path; /* file the plugin was loaded from */
} rpa_host_info;

typedef struct rpa_plugin_entry {
   rpa_version abi_version;    /* RPA_VERSION_INIT at the plugin's build */
   const char *plugin_id;      /* reverse-DNS id, e.g. "org.rpa.email" */
   const char *plugin_version; /* semantic version of the plugin itself */

   /* Called once before anything else. Returns false when the plugin cannot run with this host
    * (then the host calls nothing else, not even deinit). [main-thread] */
   bool (*init)(const rpa_host_info *host);
   /* Called once at the end; the plugin joins any threads it started. [main-thread] */
   void (*deinit)(void);

   /* Number of actions; constant between init and deinit. [thread-safe] */
   uint32_t (*action_count)(void);
   /* Action at `index` < action_count(), or NULL. [thread-safe] */
   const rpa_action_descriptor *(*get_action)(uint32_t index);

   /* Runs action `action_id` with the property bag `properties_json` (UTF-8 JSON object, not
    * necessarily NUL-terminated, `properties_size` bytes, owned by the host, valid during the
    * call). Blocks until done, the action's timeout passes, or host->is_cancelled() says so.
    * Several invokes may run at once on different threads. [thread-safe] */
   rpa_status (*invoke)(const char *action_id, const char *properties_json,
                        size_t properties_size, const rpa_host_services *host,
                        rpa_invoke_result *out);
} rpa_plugin_entry;

static inline bool rpa_plugin_entry_is_compatible(const rpa_plugin_entry *entry) {
   return entry && rpa_version_is_compatible(entry->abi_version) && entry->init &&
          entry->action_count && entry->get_action && entry->invoke;
}

RPA_EXTERN_C_END

#endif
