/* Mailbox interface "email.mailbox/1" (RPA_EMAIL_MAILBOX_ID): real work on real mail, one
 * interface for every connection type (IMAP, POP3, EWS, Microsoft 365 through Graph), so a
 * sibling action (loop over messages, save attachments, mark read, move, delete, append) is
 * written once.
 *
 * Getting it: the session a Connect action stores implements "email.session/1" and, on the same
 * object, this interface. A sibling asks the host for it by name:
 *     host->session_get(host->host_data, "Default", RPA_EMAIL_MAILBOX_INTERFACE,
 *                       RPA_EMAIL_MAILBOX_REVISION, &handle)
 * (the host finds it with the handle's query_interface, session.h), casts the handle to
 * `const rpa_email_mailbox *` and releases the handle when done. A host older than ABI 2.2 says
 * RPA_UNSUPPORTED; the sibling can then get "email.session/1" and call query_interface itself.
 *
 * Threads, memory, `host`, `message`: as in email_session.h. Every call is [thread-safe] and
 * serialized per session; output goes to caller-owned sinks; `message` receives one sentence for
 * a bot designer on success and on failure; nothing is written to the other sinks on failure.
 *
 * Connection: a call that finds the connection lost (the server's autologout, a dropped
 * connection) reconnects once with the Connect action's credentials, selects its folder again
 * and goes on; when that fails the call fails saying why (email_session.h `info` says
 * "disconnected").
 *
 * Folders are named by `folder`, a UTF-8 string that is either
 *   - a role: "inbox", "sent", "drafts", "trash", "junk" or "archive" (IMAP SPECIAL-USE or XLIST
 *     attributes, EWS distinguished folders; "inbox" is always INBOX), or
 *   - a path from the top, its levels separated by "/" whatever the server's own delimiter is:
 *     "INBOX/Projects", "Archive/2026". "INBOX" matches in any case (RFC 9051).
 * A role name is a role when some folder has that role, else a path. Unknown folders give
 * RPA_FOLDER_NOT_FOUND.
 *
 * Messages are named by a reference: an opaque UTF-8 string (at most 2048 bytes) that a search,
 * move, copy or append returned. It stays valid across reconnects and sessions of the same
 * mailbox while the message stays where it is: IMAP keeps folder + UIDVALIDITY + UID (a changed
 * UIDVALIDITY gives RPA_MESSAGE_NOT_FOUND, never another message), POP3 the UIDL, EWS the ItemId.
 * A reference to a message that is gone gives RPA_MESSAGE_NOT_FOUND.
 *
 * POP3 has one folder, "INBOX", and offers search (without server-side filters: they are applied
 * to the headers), fetch_raw, fetch_attachment, fetch_bodies and delete_message. A POP3 delete
 * is marked at once and carried out when the session logs out (QUIT, RFC 1939): a session that
 * is lost before that deletes nothing. Every other call returns RPA_UNSUPPORTED saying POP3
 * cannot do it. */
#ifndef RPA_EXT_EMAIL_MAILBOX_H
#define RPA_EXT_EMAIL_MAILBOX_H

#include <stddef.h>
#include <stdint.h>

#include "../byte_sink.h"
#include "../host.h"
#include "../private_macros.h"
#include "../session.h"
#include "../status.h"
#include "../text_sink.h"

RPA_EXTERN_C_BEGIN

#define RPA_EMAIL_MAILBOX_INTERFACE "email.mailbox"
#define RPA_EMAIL_MAILBOX_REVISION 1
#define RPA_EMAIL_MAILBOX_ID RPA_EMAIL_MAILBOX_INTERFACE "/" RPA_STRINGIFY(RPA_EMAIL_MAILBOX_REVISION)

/* What set_flags does with one flag. */
#define RPA_FLAG_KEEP 0
#define RPA_FLAG_SET 1
#define RPA_FLAG_CLEAR 2

typedef struct rpa_email_mailbox {
   rpa_session_handle handle; /* first member; interface_id is RPA_EMAIL_MAILBOX_ID */
   uint32_t struct_size;      /* sizeof(rpa_email_mailbox) as the maker knew it */

   /* Writes {"folders": [{"path": "INBOX/Projects", "name": "Projects", "role": "inbox"|"sent"|
    * "drafts"|"trash"|"junk"|"archive" (absent when none), "selectable": true}, ...]}. */
   rpa_status (*list_folders)(const struct rpa_email_mailbox *self, const rpa_host_services *host,
                              const rpa_text_sink *out_json, const rpa_text_sink *message);

   /* Resolves `folder` (a role or a path, see above) and writes {"path": ..., "name": ...,
    * "role": ...}; RPA_FOLDER_NOT_FOUND when nothing matches. */
   rpa_status (*find_folder)(const struct rpa_email_mailbox *self, const rpa_host_services *host,
                             const char *folder, const rpa_text_sink *out_json, const rpa_text_sink *message);

   /* Searches `folder` and writes one page of message summaries, newest first unless asked.
    * `query_json` is NULL or a JSON object; every member is optional and they combine with AND:
    *   "seen": bool, "flagged": bool, "since": "YYYY-MM-DD" (sent on or after, by the Date
    *   header's own calendar day), "before": "YYYY-MM-DD" (sent strictly before), "from", "to",
    *   "subject": substrings of the decoded header (case-
    *   insensitive), "has_attachments": bool, "order": "newest"|"oldest", "limit": 1..10000
    *   (default 100), "cursor": the "next_cursor" of the page before (opaque, at most 8 KiB).
    * Writes {"messages": [summary, ...], "next_cursor": "..." or null (no more), "total": N (the
    * messages matching before has_attachments and paging; null when the server cannot say
    * cheaply, as POP3 with filters)} where a summary is
    *   {"ref": "...", "folder": "INBOX", "subject": "...", "from": {"name": "...", "address":
    *    "..."} or null, "to": [{"name", "address"}, ...], "cc": [...], "date": "2026-11-30T09:15:00
    *    +09:00" (RFC 3339, the Date header; null when missing or unreadable), "size": N (bytes of the
    *    whole message), "seen", "flagged", "answered": bool, "message_id": "<...>" or null,
    *    "attachments": [{"index": 0, "name": "見積書.pdf", "size": N (decoded, estimated from the
    *    encoded size), "content_type": "application/pdf"}, ...] or null when the server cannot
    *    say cheaply (POP3)}.
    * Text is UTF-8, decoded from RFC 2047 and RFC 2231 and from the message's charsets.
    * An unknown member or a bad value gives RPA_INVALID_PROPERTIES naming it. */
   rpa_status (*search)(const struct rpa_email_mailbox *self, const rpa_host_services *host,
                        const char *folder, const char *query_json, const rpa_text_sink *out_json,
                        const rpa_text_sink *message);

   /* Streams the raw message (RFC 5322 bytes as stored) to `out`, in chunks, holding a bounded
    * amount of it in memory. Does not mark it seen. */
   rpa_status (*fetch_raw)(const struct rpa_email_mailbox *self, const rpa_host_services *host,
                           const char *ref, const rpa_byte_sink *out, const rpa_text_sink *message);

   /* Decodes attachment `index` (the summary's "index": parts in order, see search) from base64 or
    * quoted-printable and streams it to `out`; writes {"name": ..., "content_type": ..., "size":
    * N (the decoded bytes written)} to `out_json` when it succeeded. RPA_MESSAGE_NOT_FOUND when the
    * message has no such attachment. */
   rpa_status (*fetch_attachment)(const struct rpa_email_mailbox *self, const rpa_host_services *host,
                                  const char *ref, uint32_t index, const rpa_byte_sink *out,
                                  const rpa_text_sink *out_json, const rpa_text_sink *message);

   /* Writes {"text": "...", "html": "..."}: the message's plain-text and HTML bodies decoded to
    * UTF-8 (null when it has none). */
   rpa_status (*fetch_bodies)(const struct rpa_email_mailbox *self, const rpa_host_services *host,
                              const char *ref, const rpa_text_sink *out_json, const rpa_text_sink *message);

   /* Sets or clears the seen and flagged flags (RPA_FLAG_KEEP, RPA_FLAG_SET, RPA_FLAG_CLEAR). */
   rpa_status (*set_flags)(const struct rpa_email_mailbox *self, const rpa_host_services *host,
                           const char *ref, int seen, int flagged, const rpa_text_sink *message);

   /* Moves the message to `folder` and writes its new reference to `out_ref` (IMAP MOVE, or COPY +
    * \Deleted + UID EXPUNGE; the reference needs UIDPLUS or a search by Message-ID and is empty
    * when the server gives neither). */
   rpa_status (*move)(const struct rpa_email_mailbox *self, const rpa_host_services *host, const char *ref,
                      const char *folder, const rpa_text_sink *out_ref, const rpa_text_sink *message);

   /* Copies the message to `folder` and writes the copy's reference to `out_ref` (as move). */
   rpa_status (*copy)(const struct rpa_email_mailbox *self, const rpa_host_services *host, const char *ref,
                      const char *folder, const rpa_text_sink *out_ref, const rpa_text_sink *message);

   /* Deletes the message: moved to the trash folder (role "trash") unless `permanently` is non-zero
    * or the message already is in the trash or there is no trash folder, then removed for good
    * (the message says which happened). POP3: see above. */
   rpa_status (*delete_message)(const struct rpa_email_mailbox *self, const rpa_host_services *host,
                                const char *ref, int permanently, const rpa_text_sink *message);

   /* Appends the RFC 5322 message `data` (`size` bytes, owned by the caller) to `folder`, marked
    * seen, and writes its reference to `out_ref` (empty when the server cannot say, see move). */
   rpa_status (*append)(const struct rpa_email_mailbox *self, const rpa_host_services *host,
                        const char *folder, const char *data, size_t size, const rpa_text_sink *out_ref,
                        const rpa_text_sink *message);
} rpa_email_mailbox;

/* True when `m` implements at least the functions of this header. */
static inline int rpa_email_mailbox_is_compatible(const rpa_email_mailbox *m) {
   return m &&
          rpa_interface_id_matches(m->handle.interface_id, RPA_EMAIL_MAILBOX_INTERFACE,
                                   RPA_EMAIL_MAILBOX_REVISION) &&
          m->struct_size >= sizeof(rpa_email_mailbox);
}

RPA_EXTERN_C_END

#endif
