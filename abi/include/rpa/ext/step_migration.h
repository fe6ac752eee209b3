/* Extension "rpa.step-migration/1": a plugin rewrites saved bot steps of its own actions the way
 * it now recommends, e.g. from a service that is being retired to its replacement.
 *
 * The host asks entry->get_extension(RPA_EXT_STEP_MIGRATION) after init (a plugin with nothing to
 * migrate returns NULL) and calls `migrate_step` for each step whose action the plugin offers; the
 * reference host does this in `rpa-host migrate BOT.json`. Migration is pure: the plugin opens no
 * connection, reads no vault and resolves no credential; credential references are carried over
 * as they are. */
#ifndef RPA_EXT_STEP_MIGRATION_H
#define RPA_EXT_STEP_MIGRATION_H

#include <stddef.h>
#include <stdint.h>

#include "../private_macros.h"
#include "../status.h"
#include "../text_sink.h"

RPA_EXTERN_C_BEGIN

#define RPA_EXT_STEP_MIGRATION_NAME "rpa.step-migration"
#define RPA_EXT_STEP_MIGRATION_REVISION 1
#define RPA_EXT_STEP_MIGRATION RPA_EXT_STEP_MIGRATION_NAME "/" RPA_STRINGIFY(RPA_EXT_STEP_MIGRATION_REVISION)

typedef struct rpa_plugin_step_migration {
   /* Looks at one saved step: action `action_id` (an id from rpa.actions/1, e.g.
    * "email.connect/1") with the property bag `properties_json` (UTF-8 JSON, `properties_size`
    * bytes, not necessarily NUL-terminated, owned by the host, valid during the call).
    * Appends to `out` one JSON object:
    *   {"changed": true|false,
    *    "properties": {...},   the rewritten bag; only when changed
    *    "notes": ["...", ...]} sentences for the person migrating: what changed, the permissions
    *                           an administrator must grant, why a step was left as it is
    * Returns RPA_OK (also when nothing changed; an action with nothing to migrate answers
    * {"changed": false, "notes": []}); RPA_INVALID_PROPERTIES when the bag is not a JSON object,
    * RPA_UNSUPPORTED for an action id the plugin does not offer, RPA_INTERNAL on a bug: then `out`
    * holds one sentence saying why, not JSON.
    * Bags may hold typed passwords: the plugin copies them into "properties" unchanged and never
    * into a note. [thread-safe] */
   rpa_status (*migrate_step)(const char *action_id, const char *properties_json, size_t properties_size,
                              const rpa_text_sink *out);
} rpa_plugin_step_migration;

RPA_EXTERN_C_END

#endif
