/* rpa_byte_sink: how bytes (a raw message, a decoded attachment) cross the boundary in bounded
 * memory. Like rpa_text_sink (text_sink.h) the receiver owns it and the producer uses it only
 * during the one call it was passed to; unlike it, the bytes are not text and the receiver may
 * stop the transfer. */
#ifndef RPA_BYTE_SINK_H
#define RPA_BYTE_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "private_macros.h"

RPA_EXTERN_C_BEGIN

typedef struct rpa_byte_sink {
   uint32_t struct_size; /* sizeof(rpa_byte_sink) as the receiver knew it */
   void *sink_data;      /* owned by the receiver */
   /* Takes the next `size` bytes (owned by the caller, valid only during the call). Returns
    * non-zero to go on, 0 to stop (the disk is full, the receiver has what it wanted): the
    * producer then stops and its call returns RPA_CANCELLED saying the receiver stopped it.
    * [thread: the thread of the enclosing call] */
   int (*write)(const struct rpa_byte_sink *sink, const void *data, size_t size);
} rpa_byte_sink;

/* True when a producer may call `write` on `sink`. */
static inline int rpa_byte_sink_is_usable(const rpa_byte_sink *sink) {
   return sink && sink->struct_size >= sizeof(rpa_byte_sink) && sink->write;
}

RPA_EXTERN_C_END

#endif
