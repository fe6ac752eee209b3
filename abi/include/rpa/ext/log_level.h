/* Host extension "rpa.log-level/1": the host tells a plugin which log lines it keeps.
 *
 * A plugin traces a conversation line by line at RPA_LOG_DEBUG (host.h). A host that drops debug
 * lines still receives every one, and the plugin built each: a listing of 1,000 summaries over
 * IMAP is 1,000 lines. A host that offers this extension says the least severe level it keeps,
 * and the plugin neither builds nor sends lines below it. A host without the extension
 * (get_extension returns NULL) receives every line, as before. */
#ifndef RPA_EXT_LOG_LEVEL_H
#define RPA_EXT_LOG_LEVEL_H

#include <stdint.h>

#include "../host.h"
#include "../private_macros.h"

RPA_EXTERN_C_BEGIN

#define RPA_EXT_LOG_LEVEL_NAME "rpa.log-level"
#define RPA_EXT_LOG_LEVEL_REVISION 1
#define RPA_EXT_LOG_LEVEL RPA_EXT_LOG_LEVEL_NAME "/" RPA_STRINGIFY(RPA_EXT_LOG_LEVEL_REVISION)

typedef struct rpa_host_log_level {
   uint32_t struct_size; /* sizeof(rpa_host_log_level) as the host knew it */

   /* The least severe level the host keeps now: lines below it may be skipped. The host may
    * change it at any moment (a designer turns tracing on); a plugin asks at least once per call
    * it receives, and must return quickly. [thread-safe] */
   rpa_log_level (*lowest_kept)(void *host_data);
} rpa_host_log_level;

RPA_EXTERN_C_END

#endif
