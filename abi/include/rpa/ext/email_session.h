/* Session interface "email.session/1" (RPA_EMAIL_SESSION_ID).
 *
 * A Connect action makes one of these and stores it in the host under a session name. Sibling
 * plugins (Send, Loop, Move, ...) fetch it with host->session_get(host_data, name,
 * RPA_EMAIL_SESSION_INTERFACE, RPA_EMAIL_SESSION_REVISION, &handle), cast the handle to
 * `const rpa_email_session *` and call through the table, without linking against the plugin
 * that made it.
 *
 * The same object also implements the mailbox interface, "email.mailbox/1" (email_mailbox.h):
 * ask the host for that id under the same name, or call handle.query_interface (ABI 2.2).
 *
 * Threads: every function is [thread-safe]. Calls on one session are serialized by the session
 * (a second caller waits for the first); different sessions are independent.
 * Memory: all output goes through caller-owned sinks (text_sink.h); nothing is freed across the
 * boundary. `host` is the caller's services table, used for logging and cancellation of that one
 * call; it may be NULL. */
#ifndef RPA_EXT_EMAIL_SESSION_H
#define RPA_EXT_EMAIL_SESSION_H

#include <stdint.h>

#include "../host.h"
#include "../private_macros.h"
#include "../session.h"
#include "../status.h"
#include "../text_sink.h"

RPA_EXTERN_C_BEGIN

#define RPA_EMAIL_SESSION_INTERFACE "email.session"
#define RPA_EMAIL_SESSION_REVISION 1
#define RPA_EMAIL_SESSION_ID RPA_EMAIL_SESSION_INTERFACE "/" RPA_STRINGIFY(RPA_EMAIL_SESSION_REVISION)

typedef struct rpa_email_session {
   rpa_session_handle handle; /* first member: a handle pointer is a session pointer */
   uint32_t struct_size;      /* sizeof(rpa_email_session) as the maker knew it */

   /* Writes a JSON object describing the session: {"protocol": "IMAP"|"POP3"|"EWS"|"Graph", "server":
    * "host", "port": N, "user": "...", "tls_version": "TLSv1.3" or null, "tls_resumed": true when the
    * TLS handshake resumed an earlier session (revision-1 readers may ignore it), "login_method":
    * "AUTHENTICATE PLAIN"|"AUTHENTICATE OAUTHBEARER"|"AUTH XOAUTH2"|"USER/PASS"|"Basic"|"Bearer"|...,
    * "server_version": "15.20.7452.31 (V2018_01_08)" (EWS only), "capabilities": [...] (the
    * protocol's own, as the server announced them), "mailbox_operations": [...] (the email.mailbox/1
    * functions this session performs, by their names: POP3 has no set_flags, move, copy or append),
    * "search_filters": [...] (the search members it takes besides order, limit and cursor: POP3
    * has no seen, flagged or has_attachments),
    * "sending": {"protocol": "SMTP", "server", "port", "tls_version", "login_method"} when the session
    * sends over a connection of its own (email_send.h; absent otherwise),
    * "state": "authenticated"|"disconnected" (the connection was lost and a reconnect failed;
    * the next call tries again)|"closed", "reconnects": N (since the session opened),
    * "bytes_sent": N, "bytes_received": N, "round_trips": N,
    * "waiting": {"looks", "connections", "bytes_sent", "bytes_received"} once a wait for new mail
    * ran (email_watch.h): its looks, the connections of its own it opened, and their bytes (IDLE
    * and its renewals; EWS and Graph waits look through the session's own requests)}
    * (bytes and round trips count the protocol conversation so far, after the TCP and TLS
    * handshakes; for EWS and Graph, HTTP requests). Readers ignore members they do not know. Never fails on a live
    * object. */
   rpa_status (*info)(const struct rpa_email_session *self, const rpa_text_sink *out_json);

   /* Checks the connection is alive (IMAP/POP3 NOOP, EWS GetFolder, Graph GET of the inbox). On
    * failure writes a message. */
   rpa_status (*noop)(const struct rpa_email_session *self, const rpa_host_services *host,
                      const rpa_text_sink *message);

   /* Writes {"folders": [{"name": "INBOX", "delimiter": "/", "attributes": ["\\HasNoChildren"]},
    * ...]} to `out_json` (names in UTF-8). POP3 has a single folder, "INBOX". On failure writes a
    * message to `message` and nothing to `out_json`. */
   rpa_status (*list_folders)(const struct rpa_email_session *self, const rpa_host_services *host,
                              const rpa_text_sink *out_json, const rpa_text_sink *message);

   /* Logs out and closes the connection. Idempotent; later calls other than info and release
    * return RPA_SESSION_NOT_FOUND. The object stays valid until its last release. */
   rpa_status (*close)(const struct rpa_email_session *self, const rpa_host_services *host,
                       const rpa_text_sink *message);
} rpa_email_session;

/* True when `s` implements at least the functions of this header. */
static inline int rpa_email_session_is_compatible(const rpa_email_session *s) {
   return s &&
          rpa_interface_id_matches(s->handle.interface_id, RPA_EMAIL_SESSION_INTERFACE,
                                   RPA_EMAIL_SESSION_REVISION) &&
          s->struct_size >= sizeof(rpa_email_session);
}

RPA_EXTERN_C_END

#endif
