#include "mime/spool_stream.h"

#include <io.h>

namespace email::mime {

GMimeStream *open_spool_stream(std::FILE *file) { return open_descriptor_stream(file); }

GMimeStream *open_descriptor_stream(std::FILE *file) {
   if (_lseeki64(_fileno(file), 0, SEEK_SET) != 0) return nullptr;
   GMimeStream *stream = g_mime_stream_fs_new(_fileno(file));
   if (stream) g_mime_stream_fs_set_owner(GMIME_STREAM_FS(stream), FALSE);  // the FILE closes it
   return stream;
}

}  // namespace email::mime
