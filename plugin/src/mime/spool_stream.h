// The GMime stream a spooled message is parsed and decoded from (mime/message_file.h), over the
// temporary file it was written to, read from its start. GMime's file-descriptor stream seeks
// before every read and the parser reads 4 KiB at a time: about 1,700 lseek and read calls for a
// 5 MB message. Where the system can map files (Linux: mime/spool_stream_posix.cpp) the stream is
// a GMimeStreamMmap over a duplicate of the descriptor (it unmaps and closes it when the last
// reference goes), and every part is read with memcpy; elsewhere (Windows, whose GMime has no
// mmap: mime/spool_stream_windows.cpp), and where mapping fails, it is the descriptor stream.
// Null when neither can be made. The FILE must stay open as long as the stream.
#pragma once

#include <cstdio>

#include <gmime/gmime.h>

namespace email::mime {

GMimeStream *open_spool_stream(std::FILE *file);

// The descriptor stream, not owning the descriptor (the FILE closes it): the fallback.
GMimeStream *open_descriptor_stream(std::FILE *file);

}  // namespace email::mime
