/* Status codes: the one vocabulary of failure across the boundary.
 *
 * A status travels with a UTF-8 message written for a bot designer (see rpa_text_sink in host.h);
 * the code is for programs, the message for people. Values are stable: new codes are appended,
 * never renumbered. Messages never contain secrets. */
#ifndef RPA_STATUS_H
#define RPA_STATUS_H

#include "private_macros.h"

RPA_EXTERN_C_BEGIN

typedef enum rpa_status {
   RPA_OK = 0,
   RPA_INVALID_PROPERTIES = 1,    /* the property bag broke the action's schema */
   RPA_CREDENTIAL_NOT_FOUND = 2,  /* a Credential Vault reference named nothing */
   RPA_SESSION_NAME_IN_USE = 3,   /* Connect: that session name already holds a session */
   RPA_SESSION_NOT_FOUND = 4,     /* no session under that name */
   RPA_CONNECTION_FAILED = 5,     /* DNS, TCP or the server closed the connection */
   RPA_TLS_FAILED = 6,            /* handshake, certificate chain or host name check failed */
   RPA_AUTHENTICATION_FAILED = 7, /* the server refused the credentials, or would not take them */
   RPA_TIMEOUT = 8,               /* timeout_seconds passed while waiting for the server */
   RPA_CANCELLED = 9,             /* the host asked to stop */
   RPA_PROTOCOL_ERROR = 10,       /* the server said something we cannot understand */
   RPA_UNSUPPORTED = 11,          /* this build or platform cannot do what was asked */
   RPA_INTERNAL = 12,             /* a bug: please report it */
   RPA_BUFFER_TOO_SMALL = 13,     /* a caller-supplied buffer was too small; *needed says how big */
   /* --- since ABI 2.1 --- */
   RPA_FOLDER_NOT_FOUND = 14,  /* no folder at that path or with that role (mailbox calls) */
   RPA_MESSAGE_NOT_FOUND = 15, /* the message reference names nothing (any more) */
   RPA_THROTTLED = 16,         /* the server asked to wait; the message says how long */
} rpa_status;

/* Symbolic name of a status ("invalid_properties", ...); "unknown" for values outside the enum.
 * The returned string is static. [thread-safe] */
static inline const char *rpa_status_name(int status) {
   switch (status) {
   case RPA_OK: return "ok";
   case RPA_INVALID_PROPERTIES: return "invalid_properties";
   case RPA_CREDENTIAL_NOT_FOUND: return "credential_not_found";
   case RPA_SESSION_NAME_IN_USE: return "session_name_in_use";
   case RPA_SESSION_NOT_FOUND: return "session_not_found";
   case RPA_CONNECTION_FAILED: return "connection_failed";
   case RPA_TLS_FAILED: return "tls_failed";
   case RPA_AUTHENTICATION_FAILED: return "authentication_failed";
   case RPA_TIMEOUT: return "timeout";
   case RPA_CANCELLED: return "cancelled";
   case RPA_PROTOCOL_ERROR: return "protocol_error";
   case RPA_UNSUPPORTED: return "unsupported";
   case RPA_INTERNAL: return "internal";
   case RPA_BUFFER_TOO_SMALL: return "buffer_too_small";
   case RPA_FOLDER_NOT_FOUND: return "folder_not_found";
   case RPA_MESSAGE_NOT_FOUND: return "message_not_found";
   case RPA_THROTTLED: return "throttled";
   default: return "unknown";
   }
}

RPA_EXTERN_C_END

#endif
