/* Extension "rpa.actions/1": the actions a plugin adds to the Actions palette.
 *
 * The host asks entry->get_extension(RPA_EXT_ACTIONS) after init; a plugin that offers no actions
 * (one that only makes sessions, say) returns NULL. Each action has a revisioned id
 * ("email.connect/1"), palette labels and a JSON Schema of its property bag; the host validates
 * nothing itself: it passes the bag to `invoke`, which validates, runs and reports. */
#ifndef RPA_EXT_ACTIONS_H
#define RPA_EXT_ACTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "../host.h"
#include "../private_macros.h"
#include "../session.h"
#include "../status.h"
#include "../text_sink.h"

RPA_EXTERN_C_BEGIN

#define RPA_EXT_ACTIONS_NAME "rpa.actions"
#define RPA_EXT_ACTIONS_REVISION 1
#define RPA_EXT_ACTIONS RPA_EXT_ACTIONS_NAME "/" RPA_STRINGIFY(RPA_EXT_ACTIONS_REVISION)

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

typedef struct rpa_plugin_actions {
   /* Number of actions; constant between init and deinit. [thread-safe] */
   uint32_t (*count)(void);
   /* Action at `index` < count(), or NULL. [thread-safe] */
   const rpa_action_descriptor *(*get)(uint32_t index);
   /* Runs action `action_id` with the property bag `properties_json` (UTF-8 JSON object, not
    * necessarily NUL-terminated, `properties_size` bytes, owned by the host, valid during the
    * call). Blocks until done, the action's timeout passes, or host->is_cancelled() says so.
    * Several invokes may run at once on different threads. [thread-safe] */
   rpa_status (*invoke)(const char *action_id, const char *properties_json, size_t properties_size,
                        const rpa_host_services *host, rpa_invoke_result *out);
} rpa_plugin_actions;

RPA_EXTERN_C_END

#endif
