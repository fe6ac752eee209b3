/* Host services: what a plugin may ask of the host runtime.
 *
 * The host passes a `const rpa_host_services *` into every call that may need it (action invoke,
 * email session functions). The pointer and everything it points to are owned by the host and
 * valid only during that call; a plugin never stores it. `host_data` is the host's context and
 * goes back as the first argument of every function. Members are appended in later minors, so
 * a plugin checks a member with RPA_HOST_HAS(host, member) before calling it: absent when the
 * table's `struct_size` ends before it or the pointer is NULL. Optional services the core table
 * does not carry are host extensions, asked for with `get_extension`. */
#ifndef RPA_HOST_H
#define RPA_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "private_macros.h"
#include "session.h"
#include "status.h"

RPA_EXTERN_C_BEGIN

typedef enum rpa_log_level {
   RPA_LOG_DEBUG = 0, /* protocol traces (secrets already redacted) */
   RPA_LOG_INFO = 1,
   RPA_LOG_WARNING = 2,
   RPA_LOG_ERROR = 3,
} rpa_log_level;

typedef struct rpa_host_services {
   uint32_t struct_size; /* sizeof(rpa_host_services) as the host knew it */
   void *host_data;

   /* Writes one log line. `message` is UTF-8, NUL-terminated, owned by the caller, valid during
    * the call. Plugins never put secrets in it. [thread-safe] */
   void (*log)(void *host_data, rpa_log_level level, const char *message);

   /* Credential Vault lookup: locker -> credential -> attribute. On RPA_OK writes the secret's
    * `*secret_size` bytes (not NUL-terminated) into the caller's `buffer`. When `buffer_size` is
    * too small, returns RPA_BUFFER_TOO_SMALL with the needed size in `*secret_size` and writes
    * nothing. Returns RPA_CREDENTIAL_NOT_FOUND when any of the three names is unknown. The caller
    * owns `buffer` and wipes it after use; the host never logs the value. [thread-safe] */
   rpa_status (*vault_get)(void *host_data, const char *locker, const char *credential, const char *attribute,
                           char *buffer, size_t buffer_size, size_t *secret_size);

   /* Stores `session` under `name` and takes one reference (calls session->retain).
    * RPA_SESSION_NAME_IN_USE when the name is taken (no reference taken). `name` is copied.
    * [thread-safe] */
   rpa_status (*session_put)(void *host_data, const char *name, const rpa_session_handle *session);

   /* Looks up `name`; when its handle implements `interface_name` at revision >= `min_revision`
    * (see rpa_interface_id_matches), stores it in `*session` with one reference the caller must
    * release. RPA_SESSION_NOT_FOUND when the name is unknown, RPA_UNSUPPORTED when the session
    * does not implement the interface. [thread-safe] */
   rpa_status (*session_get)(void *host_data, const char *name, const char *interface_name,
                             unsigned min_revision, const rpa_session_handle **session);

   /* Removes `name` from the store and drops the store's reference. RPA_SESSION_NOT_FOUND when
    * the name is unknown. [thread-safe] */
   rpa_status (*session_remove)(void *host_data, const char *name);

   /* Non-zero once the host wants the running action to stop (Ctrl-C, bot stopped). Plugins poll
    * it at least once a second while waiting and then return RPA_CANCELLED. [thread-safe] */
   int (*is_cancelled)(void *host_data);

   /* Stores `secret_size` bytes (`secret`, not NUL-terminated, owned by the caller) in the
    * Credential Vault at locker -> credential -> attribute, creating or replacing the entry.
    * Plugins use it for what they must remember across runs and machines that share the vault,
    * such as an OAuth2 refresh token. RPA_UNSUPPORTED when the host's vault is read-only. The
    * host never logs the value. [thread-safe] */
   rpa_status (*vault_put)(void *host_data, const char *locker, const char *credential, const char *attribute,
                           const char *secret, size_t secret_size);

   /* The host's implementation of extension `extension_id` ("name/N", compared exactly; e.g.
    * RPA_EXT_BROWSER in ext/browser.h), or NULL when it has none. The struct returned is the one
    * the id's header defines, owned by the host and valid as long as this services table; its
    * functions take this table's `host_data`. [thread-safe] */
   const void *(*get_extension)(void *host_data, const char *extension_id);
} rpa_host_services;

/* The host extension `extension_id`, or NULL when the host (or its table's version) has none. */
#define RPA_HOST_EXTENSION(host, extension_id) \
  (RPA_HOST_HAS(host, get_extension) ? (host)->get_extension((host)->host_data, extension_id) : NULL)

#define RPA_HOST_HAS(host, member)                                                                  \
  ((host) && (host)->struct_size >= offsetof(rpa_host_services, member) + sizeof((host)->member) && \
   (host)->member)

RPA_EXTERN_C_END

#endif
