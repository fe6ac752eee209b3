// The action schemas from schemas/, embedded at build time (cmake/EmbedText.cmake writes the
// definitions). schemas/ is the single source; never copy a schema into code.
#pragma once

namespace email::embedded {
extern const char connect_schema[];
extern const char disconnect_schema[];
extern const char wait_schema[];
}  // namespace email::embedded
