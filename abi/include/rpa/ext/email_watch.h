/* Watch interface "email.watch/1" (RPA_EMAIL_WATCH_ID): a session that is told when a message
 * arrives, so a bot that starts on new mail learns of it at once, without polling the server
 * itself, and never misses a message or sees one twice across dropped connections.
 *
 * Getting it: like "email.mailbox/1" (email_mailbox.h), by name from the host or through the
 * session handle's query_interface. Threads, memory, `host`, `message`: as in email_session.h.
 *
 * A wait runs on a connection of its own that the session opens with the Connect action's
 * credentials on the first wait and keeps, so the session's other calls (a sibling fetching the
 * message just announced) go on while it waits; waits on one session take turns. The host's
 * cancel (host.h is_cancelled) ends a wait within a second with RPA_CANCELLED, and so does the
 * session's Disconnect.
 *
 * Cursors are text the bot may keep anywhere (a variable, a file): a cursor stays valid across
 * reconnects and in a new session of the same account. "" means "from now".
 *
 * Per connection type:
 *   - IMAP: IDLE (RFC 2177), renewed every 25 minutes (9 for Gmail, which drops idle clients after
 *     about 10) and woken by the server's EXISTS; a server without IDLE is polled every
 *     "poll_seconds" (default 60). The cursor is the folder's UIDVALIDITY and the last UID seen.
 *   - POP3: polled (default 60 s), each look on a new connection (a POP3 connection shows the
 *     maildrop of its sign-in). The cursor names the newest messages seen by a hash of their UIDL
 *     and survives the bot deleting what it fetched; one none of whose messages is left resets.
 *   - EWS: SyncFolderItems polled (default 60 s); the cursor is Exchange's SyncState.
 *   - Microsoft 365: Graph's delta query on the folder's messages, polled (default 30 s; change
 *     notifications need a public HTTPS endpoint a bot runner does not have); the cursor holds
 *     Graph's deltaLink.
 *   - Outlook: RPA_UNSUPPORTED saying so (not yet built).
 * A cursor is at most 4096 bytes and follows one folder: another folder's is refused. */
#ifndef RPA_EXT_EMAIL_WATCH_H
#define RPA_EXT_EMAIL_WATCH_H

#include <stddef.h>
#include <stdint.h>

#include "../host.h"
#include "../private_macros.h"
#include "../session.h"
#include "../status.h"
#include "../text_sink.h"

RPA_EXTERN_C_BEGIN

#define RPA_EMAIL_WATCH_INTERFACE "email.watch"
#define RPA_EMAIL_WATCH_REVISION 1
#define RPA_EMAIL_WATCH_ID RPA_EMAIL_WATCH_INTERFACE "/" RPA_STRINGIFY(RPA_EMAIL_WATCH_REVISION)

typedef struct rpa_email_watch {
   rpa_session_handle handle; /* first member; interface_id is RPA_EMAIL_WATCH_ID */
   uint32_t struct_size;      /* sizeof(rpa_email_watch) as the maker knew it */

   /* Returns the messages that arrived in `folder` (a role or a path, email_mailbox.h) after
    * `cursor` and match `filter_json`, as soon as there is at least one, or none once
    * `timeout_ms` passed. `cursor`: NULL or "" for "from now", else a cursor an earlier wait
    * returned. `filter_json`: NULL or an object with the members of email_mailbox.h's search
    * filter (seen, flagged, since, before, from, to, subject, has_attachments) and
    * "poll_seconds" (1-3600: how often a server that cannot announce new mail is asked; default
    * 60, Microsoft 365 30). At most 100 messages come back at once; the cursor then points after them.
    * On success, to `out_json`:
    *   {"messages": [summaries as search gives them, oldest first], "cursor": "...",
    *    "cursor_reset": true when the cursor could not be followed (the folder was rebuilt: IMAP's
    *    UIDVALIDITY changed; the server forgot the state: EWS, Graph; every message a POP3 cursor
    *    named is gone); the messages are then none and the cursor is "from now"}
    * RPA_INVALID_PROPERTIES for a cursor that is not one (naming it), RPA_FOLDER_NOT_FOUND,
    * RPA_CANCELLED, RPA_UNSUPPORTED as said above. Messages that arrive while no wait runs are
    * returned by the next wait with the cursor the last one returned. */
   rpa_status (*wait)(const struct rpa_email_watch *self, const rpa_host_services *host, const char *folder,
                      const char *cursor, uint32_t timeout_ms, const char *filter_json,
                      const rpa_text_sink *out_json, const rpa_text_sink *message);
} rpa_email_watch;

/* True when `w` implements at least the functions of this header. */
static inline int rpa_email_watch_is_compatible(const rpa_email_watch *w) {
   return w &&
          rpa_interface_id_matches(w->handle.interface_id, RPA_EMAIL_WATCH_INTERFACE,
                                   RPA_EMAIL_WATCH_REVISION) &&
          w->struct_size >= sizeof(rpa_email_watch);
}

RPA_EXTERN_C_END

#endif
