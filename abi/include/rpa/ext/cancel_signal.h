/* Host extension "rpa.cancel-signal/1": the host tells a plugin the moment it cancels.
 *
 * is_cancelled (host.h) is polled, and a plugin that waits long (email.watch/1: minutes, hours)
 * would wake about once a second to ask it. A host that offers this extension calls the plugin
 * back instead, so such a wait sleeps until something happens. A plugin subscribes for the span
 * of one call and unsubscribes before it returns; it still polls is_cancelled where it has no
 * subscription, and a host without the extension (get_extension returns NULL) is polled. */
#ifndef RPA_EXT_CANCEL_SIGNAL_H
#define RPA_EXT_CANCEL_SIGNAL_H

#include <stdint.h>

#include "../private_macros.h"

RPA_EXTERN_C_BEGIN

#define RPA_EXT_CANCEL_SIGNAL_NAME "rpa.cancel-signal"
#define RPA_EXT_CANCEL_SIGNAL_REVISION 1
#define RPA_EXT_CANCEL_SIGNAL RPA_EXT_CANCEL_SIGNAL_NAME "/" RPA_STRINGIFY(RPA_EXT_CANCEL_SIGNAL_REVISION)

typedef struct rpa_host_cancel_signal {
   uint32_t struct_size; /* sizeof(rpa_host_cancel_signal) as the host knew it */

   /* Calls `notify(context)` when is_cancelled turns non-zero: once, on any thread, and at once
    * (before subscribe returns) when it already is. `notify` must return quickly and must not
    * call into the host. Returns a token for unsubscribe, never 0; 0 when the host cannot
    * subscribe now (then the plugin polls is_cancelled). [thread-safe] */
   uint64_t (*subscribe)(void *host_data, void (*notify)(void *context), void *context);

   /* Ends the subscription `token`. Once it returns, that `notify` is not running and is never
    * called again. [thread-safe] */
   void (*unsubscribe)(void *host_data, uint64_t token);
} rpa_host_cancel_signal;

RPA_EXTERN_C_END

#endif
