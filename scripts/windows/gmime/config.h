/* GMime's config.h for MinGW-w64 (Windows x64): what its configure script finds there. */
#define PACKAGE "gmime"
#define VERSION "3.2.13"
#define HAVE_GETHOSTNAME 1
#define HAVE__TIMEZONE 1
#define HAVE_FSYNC 0
#define USE_LIBICONV_NATIVE 1
#define GMIME_ENABLE_RFC2047_WORKAROUNDS 1
#define _FILE_OFFSET_BITS 64
#include <io.h>
#include <winsock2.h>
#ifndef fsync
#  define fsync _commit
#endif
