/* Session handles: reference-counted objects that the host keeps by session name.
 *
 * Every session object starts with an rpa_session_handle. Its `interface_id` says which
 * interface struct the handle is the first member of ("email.session/1", see ext/email_session.h),
 * so a host can hand a sibling plugin the handle it asks for by id, and the sibling casts it to
 * that struct. The object is owned by whoever holds references: it is destroyed by the plugin
 * that made it when the last reference is released. The plugin that made it must stay loaded
 * until then (the reference host never unloads plugins while it runs). */
#ifndef RPA_SESSION_H
#define RPA_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "private_macros.h"

RPA_EXTERN_C_BEGIN

typedef struct rpa_session_handle {
   uint32_t struct_size;     /* sizeof(rpa_session_handle) as the maker knew it */
   const char *interface_id; /* static string owned by the maker, e.g. "email.session/1" */
   void *maker_data;         /* private to the plugin that made the handle; others never touch it */
   /* Adds a reference. [thread-safe] */
   void (*retain)(const struct rpa_session_handle *self);
   /* Drops a reference; the last one destroys the object (closing it if still open).
    * [thread-safe] */
   void (*release)(const struct rpa_session_handle *self);

   /* --- since ABI 2.2 (check with RPA_SESSION_HAS) --- */

   /* The same object seen through another interface (COM's QueryInterface): when the object
    * implements `interface_name` at revision >= `min_revision`, returns that interface's handle
    * (the first member of its struct, e.g. rpa_email_mailbox) with one reference taken, which
    * the caller releases through that handle; else NULL. Every handle of one object shares
    * one reference count. Hosts call it from session_get when `interface_id` does not match.
    * [thread-safe] */
   const struct rpa_session_handle *(*query_interface)(const struct rpa_session_handle *self,
                                                       const char *interface_name, unsigned min_revision);
} rpa_session_handle;

/* True when `handle` carries `member` (its struct_size covers it and it is not NULL). */
#define RPA_SESSION_HAS(handle, member)                                                        \
  ((handle)->struct_size >= offsetof(rpa_session_handle, member) + sizeof((handle)->member) && \
   (handle)->member != NULL)

/* True when `interface_id` ("name/revision") names interface `name` at revision >= min_revision. */
static inline int rpa_interface_id_matches(const char *interface_id, const char *name,
                                           unsigned min_revision) {
   const char *a = interface_id, *b = name;
   unsigned revision = 0;
   if (!a || !b) return 0;
   while (*b && *a == *b) {
      ++a;
      ++b;
   }
   if (*b || *a != '/') return 0;
   for (++a; *a >= '0' && *a <= '9'; ++a) revision = revision * 10u + (unsigned)(*a - '0');
   return *a == '\0' && revision >= min_revision;
}

RPA_EXTERN_C_END

#endif
