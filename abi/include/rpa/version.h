/* ABI version of the RPA plugin contract.
 *
 * Every struct that crosses the boundary starts with a `struct_size` (bytes the writer knows of),
 * and the plugin entry carries an `rpa_version`. Fields are only ever appended: a reader copies
 * min(struct_size, sizeof(its own struct)) and treats missing trailing fields as absent (NULL/0).
 * A major version change means the layout broke; readers refuse a different major. */
#ifndef RPA_VERSION_H
#define RPA_VERSION_H

#include <stdbool.h>
#include <stdint.h>

#include "private_macros.h"

RPA_EXTERN_C_BEGIN

typedef struct rpa_version {
   uint32_t major; /* layouts are incompatible across majors */
   uint32_t minor; /* appended fields and functions */
   uint32_t revision;
} rpa_version;

#define RPA_VERSION_MAJOR 1
#define RPA_VERSION_MINOR 0
#define RPA_VERSION_REVISION 0
#define RPA_VERSION_INIT {RPA_VERSION_MAJOR, RPA_VERSION_MINOR, RPA_VERSION_REVISION}

/* True when a party built against this header can use something built against `v`. */
static inline bool rpa_version_is_compatible(rpa_version v) {
   return v.major == RPA_VERSION_MAJOR;
}

RPA_EXTERN_C_END

#endif
