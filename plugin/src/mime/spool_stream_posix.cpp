#include "mime/spool_stream.h"

#include <sys/mman.h>
#include <unistd.h>

namespace email::mime {

GMimeStream *open_spool_stream(std::FILE *file) {
   const int mapped_fd = ::dup(::fileno(file));
   if (mapped_fd >= 0) {
      // The mapping starts where the descriptor stands (shared with the FILE's): at the start.
      if (::lseek(mapped_fd, 0, SEEK_SET) == 0)
         if (GMimeStream *mapped = g_mime_stream_mmap_new(mapped_fd, PROT_READ, MAP_PRIVATE))
            return mapped;  // owns mapped_fd
      ::close(mapped_fd);
   }
   return open_descriptor_stream(file);
}

GMimeStream *open_descriptor_stream(std::FILE *file) {
   if (::lseek(::fileno(file), 0, SEEK_SET) != 0) return nullptr;
   GMimeStream *stream = g_mime_stream_fs_new(::fileno(file));
   if (stream) g_mime_stream_fs_set_owner(GMIME_STREAM_FS(stream), FALSE);  // the FILE closes it
   return stream;
}

}  // namespace email::mime
