/* ABI version of the RPA plugin contract, and the rules that keep it growable.
 *
 * Rules:
 * - Every struct that crosses the boundary and may grow starts with (or, for the entry, follows
 *   its `abi_version` with) a `struct_size`: the bytes its writer knew of. Members are only ever
 *   appended: a reader uses a member only when struct_size covers it (RPA_HOST_HAS for the host
 *   services table) and treats missing trailing members as absent (NULL/0).
 * - MAJOR changes when a layout breaks; hosts and plugins refuse a different major.
 * - MINOR changes when a core struct gains appended members or the headers gain new types.
 * - REVISION changes when only comments or inline helpers change.
 * - Optional capabilities are extensions, asked for by a string id "name/N" (entry
 *   get_extension, host get_extension; see ext/). An id names one layout forever: an extension
 *   grows by a new id ("name/2"), which a party may offer next to the old one.
 *
 * History:
 * - 1.0.0: entry with actions, host services (log, vault_get, sessions, is_cancelled), then
 *   vault_put and open_url appended without a version change (a mistake 2.0 corrects).
 * - 2.0.0: the entry has a struct_size and get_extension; actions are the plugin extension
 *   "rpa.actions/1" (ext/actions.h); the host services table ends with get_extension, vault_put
 *   is core, and open_url moved to the host extension "rpa.browser/1" (ext/browser.h); the
 *   email session interface lives in ext/email_session.h.
 * - 2.1.0: status codes folder_not_found, message_not_found and throttled appended.
 * - 2.2.0: rpa_session_handle gains query_interface (one object, several interfaces); the
 *   byte sink (byte_sink.h) and the mailbox interface "email.mailbox/1" (ext/email_mailbox.h).
 * - 2.3.0: the plugin extension "rpa.step-migration/1" (ext/step_migration.h).
 * - 2.4.0: the send interface "email.send/1" (ext/email_send.h).
 * - 2.4.1: email_send.h documents sending over EWS and Outlook, "original_marked", and charset
 *   "iso-2022-jp" (comments only).
 * - 2.5.0: the byte source (byte_source.h); "email.send/2" appends send, reply and forward with
 *   attachments from byte sources (ext/email_send.h); its objects still answer "email.send/1";
 *   the watch interface "email.watch/1" (ext/email_watch.h).
 * - 2.6.0: the host extension "rpa.cancel-signal/1" (ext/cancel_signal.h): the host calls a
 *   plugin back when it cancels, so a long wait need not poll is_cancelled.
 * - 2.7.0: the host extension "rpa.log-level/1" (ext/log_level.h): the host says which log lines
 *   it keeps, so a plugin does not build the debug lines it would drop. */
#ifndef RPA_VERSION_H
#define RPA_VERSION_H

#include <stdbool.h>
#include <stdint.h>

#include "private_macros.h"

RPA_EXTERN_C_BEGIN

typedef struct rpa_version {
   uint32_t major;    /* layouts are incompatible across majors */
   uint32_t minor;    /* appended members and new types */
   uint32_t revision; /* comments and inline helpers only */
} rpa_version;

#define RPA_VERSION_MAJOR 2
#define RPA_VERSION_MINOR 7
#define RPA_VERSION_REVISION 0
#define RPA_VERSION_INIT \
  { RPA_VERSION_MAJOR, RPA_VERSION_MINOR, RPA_VERSION_REVISION }

/* True when a party built against this header can use something built against `v`. */
static inline bool rpa_version_is_compatible(rpa_version v) { return v.major == RPA_VERSION_MAJOR; }

RPA_EXTERN_C_END

#endif
