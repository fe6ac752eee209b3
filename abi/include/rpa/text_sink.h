/* rpa_text_sink: how variable-length text crosses the boundary without anyone freeing memory
 * on the other side. The receiver of the text owns the sink; the producer calls `append` zero or
 * more times during the one call the sink was passed to, and never keeps the sink afterwards. */
#ifndef RPA_TEXT_SINK_H
#define RPA_TEXT_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "private_macros.h"

RPA_EXTERN_C_BEGIN

typedef struct rpa_text_sink {
   uint32_t struct_size; /* sizeof(rpa_text_sink) as the receiver knew it */
   void *sink_data;      /* owned by the receiver */
   /* Appends `size` bytes of UTF-8 (not NUL-terminated). `data` is owned by the caller and only
    * valid during the call; the receiver copies it. [thread: the thread of the enclosing call] */
   void (*append)(const struct rpa_text_sink *sink, const char *data, size_t size);
} rpa_text_sink;

/* True when a producer may call `append` on `sink`. */
static inline int rpa_text_sink_is_usable(const rpa_text_sink *sink) {
   return sink && sink->struct_size >= sizeof(rpa_text_sink) && sink->append;
}

RPA_EXTERN_C_END

#endif
