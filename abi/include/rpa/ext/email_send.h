/* Send interface "email.send/2" (RPA_EMAIL_SEND_ID): sending through the session a Connect action
 * opened, with its credentials, tokens and proxy, so a bot configures its mail server once.
 *
 * Revisions: "email.send/1" has send, send_raw, reply and forward; "email.send/2" appends the
 * three *_with_sources functions (attachments from bytes the bot holds, byte_source.h). The layout
 * of /2 begins with that of /1, so the one object answers a party that asks for either (the
 * revision asked for is a minimum, session.h rpa_interface_id_matches).
 *
 * Getting it: like "email.mailbox/1" (email_mailbox.h), by name from the host or through the
 * session handle's query_interface. Every session answers; one that cannot send says so on each
 * call with RPA_UNSUPPORTED and the Connect field to fill (an email_server session sends over SMTP
 * when Connect named smtp_host; a microsoft365 session sends through Microsoft Graph, whose
 * permission Mail.Send Authorize asks for; an ews session through EWS; an outlook session through
 * Outlook itself).
 *
 * Threads, memory, `host`, `message`: as in email_session.h. Calls are [thread-safe] and
 * serialized per session.
 *
 * Sending is never repeated behind the caller's back: a connection found lost before any of the
 * message went out is opened again and the message sent then; once part of it went out, a failure
 * stands (the message may or may not have arrived) and the next call connects anew.
 *
 * Results, on success, to `out_json`:
 *   {"message_id": "<...@sender.domain>", "size": N (bytes sent), "accepted": ["a@b", ...],
 *    "refused": [{"address": "x@y", "reason": "550 5.1.1 ... (the server's words)"}, ...],
 *    "sent_ref": "..." (the reference of the copy saved in the "sent" folder, email_mailbox.h) or
 *    null, "copy": "saved" (the session saved it: sent_ref names it) | "server" (the service keeps
 *    it in Sent Items itself, as Microsoft 365 does: no reference) | "none",
 *    "server_said": "2.0.0 Ok: queued as 4F3A", "round_trips": N (replies waited for while
 *    sending: SMTP 2 with PIPELINING, the envelope and then the message; Graph its requests)}
 * Recipients the server refused are listed while the others receive the message; when it refuses
 * every one, nothing is sent and the call fails naming each with its reason. */
#ifndef RPA_EXT_EMAIL_SEND_H
#define RPA_EXT_EMAIL_SEND_H

#include <stddef.h>
#include <stdint.h>

#include "../host.h"
#include "../byte_source.h"
#include "../private_macros.h"
#include "../session.h"
#include "../status.h"
#include "../text_sink.h"

RPA_EXTERN_C_BEGIN

#define RPA_EMAIL_SEND_INTERFACE "email.send"
#define RPA_EMAIL_SEND_REVISION 2
#define RPA_EMAIL_SEND_ID RPA_EMAIL_SEND_INTERFACE "/" RPA_STRINGIFY(RPA_EMAIL_SEND_REVISION)

typedef struct rpa_email_send {
   rpa_session_handle handle; /* first member; interface_id is RPA_EMAIL_SEND_ID */
   uint32_t struct_size;      /* sizeof(rpa_email_send) as the maker knew it */

   /* Composes a message (MIME, RFC 2045-2049, in UTF-8) and sends it. `request_json` is a JSON
    * object; every member but one recipient is optional:
    *   "from": the sender, an address ("sales@contoso.com" or "Sales <sales@contoso.com>");
    *       default: the session's mailbox, else its username when that is an address (a session
    *       whose username is not an address asks for "from")
    *   "to", "cc", "bcc", "reply_to": an address, a list of them in one string separated by "," or
    *       ";", or an array of addresses; at least one of to, cc and bcc. Bcc recipients receive
    *       the message; no Bcc header is sent.
    *   "subject", "text" (the plain-text body), "html" (the HTML body; with "text" both go as
    *       multipart/alternative)
    *   "attachments": [{"path": a file to attach (streamed, never whole in memory), "name": the
    *       name the recipient sees (default: the file's name), "content_type": (default: from the
    *       name's extension), "content_id": makes it an inline image the HTML names as
    *       "cid:<content_id>"}, ...]
    *   "importance": "low"|"normal"|"high" (Importance and X-Priority headers)
    *   "charset": "utf-8" (the default) | "iso-2022-jp" (for Japanese readers that need it: the
    *       subject and names as ISO-2022-JP B words, the text and HTML in 7-bit JIS; a character
    *       outside JIS X 0208, such as ① or ㈱, is invalid_properties naming it, nothing sent)
    *   "save_copy": "auto" (default: into the "sent" folder, unless the server keeps one itself,
    *       as Gmail and Microsoft 365 do, or the session has no folders, as POP3)|"always"|"never"
    *       (Microsoft Graph keeps a copy of every MIME message it sends: there "never" cannot be
    *       honoured, and the message says so)
    * An unknown member or a bad value gives RPA_INVALID_PROPERTIES naming it, before anything is
    * sent. */
   rpa_status (*send)(const struct rpa_email_send *self, const rpa_host_services *host,
                      const char *request_json, const rpa_text_sink *out_json, const rpa_text_sink *message);

   /* Sends the RFC 5322 message `data` (`size` bytes, owned by the caller) as it is, but for its
    * line ends (made CRLF) and its Bcc header (left out). `envelope_json` is NULL or {"from":
    * address, "recipients": [address, ...], "save_copy": as above}; without recipients they are
    * the message's To, Cc and Bcc; without from, its From (else the session's address). */
   rpa_status (*send_raw)(const struct rpa_email_send *self, const rpa_host_services *host, const char *data,
                          size_t size, const char *envelope_json, const rpa_text_sink *out_json,
                          const rpa_text_sink *message);

   /* Replies to the message `ref` (a reference from email.mailbox/1, email_mailbox.h).
    * `request_json` is NULL or an object with the members of `send` but to and subject, and:
    *   "all": true to reply to every recipient of the original too (the session's own addresses
    *       and "from" left out), "language": "en" (default) | "ja": the line above the quote.
    * To: the original's Reply-To, else its From. Subject: "Re: " once (Re:, RE:, 返信: kept).
    * In-Reply-To and References from the original. The request's text and HTML come first, the
    * original's text quoted with "> " and its HTML in a blockquote below them.
    * RPA_MESSAGE_NOT_FOUND when `ref` names no message. Result as for send, and "original_marked":
    * whether the original was marked answered where the backend keeps that (IMAP \Answered;
    * Exchange's and Outlook's last verb); a mark that fails is said in `message`, the send stands. */
   rpa_status (*reply)(const struct rpa_email_send *self, const rpa_host_services *host, const char *ref,
                       const char *request_json, const rpa_text_sink *out_json, const rpa_text_sink *message);

   /* Forwards the message `ref`. `request_json` has the members of `send` but subject (at least one
    * recipient), and: "as_attachment": true to attach the original as message/rfc822 (default:
    * inline, its text and HTML under a "Forwarded message" block with its From, Date, Subject and
    * To, its attachments attached again), "language": "en" | "ja". Subject: "Fwd: " once (Fwd:, FW:,
    * 転送: kept). Result as for reply ("original_marked": IMAP $Forwarded, the forwarded verb). */
   rpa_status (*forward)(const struct rpa_email_send *self, const rpa_host_services *host, const char *ref,
                         const char *request_json, const rpa_text_sink *out_json,
                         const rpa_text_sink *message);

   /* --- revision 2 ---
    * send, reply and forward, with attachments made of bytes the bot holds rather than files:
    * `sources` points to `source_count` byte sources (byte_source.h, owned by the caller), and an
    * entry of "attachments" names one by its index instead of a path:
    *   {"source": 0, "name": "report.csv" (required: the name the recipient sees),
    *    "content_type": ..., "content_id": ...}
    * Each source is named by exactly one attachment, and read once, to its end, before anything
    * is sent, in bounded memory (a 25 MB source is never whole in memory). RPA_INVALID_PROPERTIES
    * names the attachment when an index names no source, a source is named twice or not at all,
    * or is not usable (rpa_byte_source_is_usable); RPA_CANCELLED when a source's read fails: in
    * every case nothing is sent. Everything else as for send, reply and forward. */
   rpa_status (*send_with_sources)(const struct rpa_email_send *self, const rpa_host_services *host,
                                   const char *request_json, const rpa_byte_source *const *sources,
                                   size_t source_count, const rpa_text_sink *out_json,
                                   const rpa_text_sink *message);
   rpa_status (*reply_with_sources)(const struct rpa_email_send *self, const rpa_host_services *host,
                                    const char *ref, const char *request_json,
                                    const rpa_byte_source *const *sources, size_t source_count,
                                    const rpa_text_sink *out_json, const rpa_text_sink *message);
   rpa_status (*forward_with_sources)(const struct rpa_email_send *self, const rpa_host_services *host,
                                      const char *ref, const char *request_json,
                                      const rpa_byte_source *const *sources, size_t source_count,
                                      const rpa_text_sink *out_json, const rpa_text_sink *message);
} rpa_email_send;

/* The bytes of rpa_email_send that revision 1 knew: the struct_size an "email.send/1" object has. */
#define RPA_EMAIL_SEND_1_SIZE (offsetof(rpa_email_send, forward) + sizeof(((rpa_email_send *)0)->forward))

/* True when `s` implements at least the functions of revision `revision` (1 or 2) of this header.
 * A party built against revision 1 of this header, asking for "email.send/1", keeps working
 * with objects of revision 2. */
static inline int rpa_email_send_has_revision(const rpa_email_send *s, unsigned revision) {
   return s && rpa_interface_id_matches(s->handle.interface_id, RPA_EMAIL_SEND_INTERFACE, revision) &&
          s->struct_size >= (revision < 2 ? RPA_EMAIL_SEND_1_SIZE : sizeof(rpa_email_send));
}

/* True when `s` implements every function of this header (revision 2). */
static inline int rpa_email_send_is_compatible(const rpa_email_send *s) {
   return rpa_email_send_has_revision(s, RPA_EMAIL_SEND_REVISION);
}

RPA_EXTERN_C_END

#endif
