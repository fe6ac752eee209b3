/* iconv for GMime on Windows: GLib's static library carries win_iconv (glib/gconvert.c includes
 * glib/win_iconv.c), whose iconv_open, iconv and iconv_close are what GMime calls. */
#ifndef RPA_WINDOWS_ICONV_H
#define RPA_WINDOWS_ICONV_H
#include <stddef.h>
typedef void *iconv_t;
iconv_t iconv_open(const char *tocode, const char *fromcode);
int iconv_close(iconv_t cd);
size_t iconv(iconv_t cd, char **inbuf, size_t *inbytesleft, char **outbuf, size_t *outbytesleft);
#endif
