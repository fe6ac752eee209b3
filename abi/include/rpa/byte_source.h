/* rpa_byte_source: bytes one party holds (a report the bot made, a file it downloaded), read by
 * the other in bounded memory. The mirror of rpa_byte_sink (byte_sink.h): the giver owns it and
 * the reader uses it only during the one call it was passed to, on that call's thread, reading
 * from the first byte to the end once, never going back. */
#ifndef RPA_BYTE_SOURCE_H
#define RPA_BYTE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "private_macros.h"

RPA_EXTERN_C_BEGIN

/* What `read` returns when the bytes cannot be given (a file that vanished, a stream that broke). */
#define RPA_BYTE_SOURCE_FAILED ((size_t)-1)

typedef struct rpa_byte_source {
   uint32_t struct_size; /* sizeof(rpa_byte_source) as the giver knew it */
   void *source_data;    /* owned by the giver */
   /* Copies the next bytes, at most `capacity` of them, to `buffer` (owned by the reader) and
    * returns how many: 0 only at the end, RPA_BYTE_SOURCE_FAILED when the bytes cannot be given
    * (the reader then stops, and its call fails saying the source failed).
    * [thread: the thread of the enclosing call] */
   size_t (*read)(const struct rpa_byte_source *source, void *buffer, size_t capacity);
} rpa_byte_source;

/* True when a reader may call `read` on `source`. */
static inline int rpa_byte_source_is_usable(const rpa_byte_source *source) {
   return source && source->struct_size >= sizeof(rpa_byte_source) && source->read;
}

RPA_EXTERN_C_END

#endif
