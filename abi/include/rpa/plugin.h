/* The plugin entry: the one symbol a plugin exports.
 *
 * A plugin is a shared library exporting `const rpa_plugin_entry rpa_entry` (RPA_ENTRY_SYMBOL).
 * The host reads `abi_version` first (it leads the entry in every major), refuses an incompatible
 * major (rpa_plugin_entry_is_compatible), calls `init` once, then may call `get_extension` and
 * what it returns from any thread, and calls `deinit` once after the last call into the plugin
 * returned and the last session handle from this plugin was released.
 *
 * What a plugin can do is in its extensions: "rpa.actions/1" (ext/actions.h) for the actions of
 * the Actions palette; session interfaces such as "email.session/1" (ext/email_session.h) are
 * reached through the host's session store. This header knows nothing of any of them.
 *
 * No C++ type and no exception crosses this boundary; errors are rpa_status values plus a message
 * written to a host-owned sink. */
#ifndef RPA_PLUGIN_H
#define RPA_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "host.h"
#include "private_macros.h"
#include "session.h"
#include "status.h"
#include "text_sink.h"
#include "version.h"

RPA_EXTERN_C_BEGIN

#define RPA_ENTRY_SYMBOL "rpa_entry"

/* What the host tells a plugin about itself. Owned by the host, valid during init. */
typedef struct rpa_host_info {
   uint32_t struct_size;
   rpa_version abi_version; /* the host's; a plugin refuses an incompatible major */
   const char *host_name;   /* e.g. "rpa-host" */
   const char *plugin_path; /* file the plugin was loaded from */
} rpa_host_info;

typedef struct rpa_plugin_entry {
   rpa_version abi_version;    /* RPA_VERSION_INIT at the plugin's build; first in every major */
   uint32_t struct_size;       /* sizeof(rpa_plugin_entry) at the plugin's build */
   const char *plugin_id;      /* reverse-DNS id, e.g. "org.rpa.email" */
   const char *plugin_version; /* semantic version of the plugin itself */

   /* Called once before anything else. Returns false when the plugin cannot run with this host
    * (then the host calls nothing else, not even deinit). [main-thread] */
   bool (*init)(const rpa_host_info *host);
   /* Called once at the end; the plugin joins any threads it started. [main-thread] */
   void (*deinit)(void);

   /* The plugin's implementation of extension `extension_id` ("name/N", compared exactly), or
    * NULL when it has none. The struct returned is the one the id's header defines, owned by the
    * plugin and valid from init until deinit. A host asking for several revisions of one
    * extension asks for the newest it knows first. Called only between init and deinit.
    * [thread-safe] */
   const void *(*get_extension)(const char *extension_id);
} rpa_plugin_entry;

/* True when the host may init `entry`: same major, and every core member present. */
static inline bool rpa_plugin_entry_is_compatible(const rpa_plugin_entry *entry) {
   return entry && rpa_version_is_compatible(entry->abi_version) &&
          entry->struct_size >= offsetof(rpa_plugin_entry, get_extension) + sizeof(entry->get_extension) &&
          entry->init && entry->get_extension;
}

/* True when `a` and `b` are the same extension id. */
static inline bool rpa_extension_id_is(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

RPA_EXTERN_C_END

#endif
