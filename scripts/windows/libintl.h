/* See libintl.c: gettext without catalogues, for GLib on Windows. */
#ifndef RPA_WINDOWS_LIBINTL_H
#define RPA_WINDOWS_LIBINTL_H
#include <locale.h>
#ifndef LC_MESSAGES
#  define LC_MESSAGES 1729 /* as GNU libintl and proxy-libintl define it where locale.h does not */
#endif
char *gettext(const char *msgid);
char *dgettext(const char *domain, const char *msgid);
char *dcgettext(const char *domain, const char *msgid, int category);
char *ngettext(const char *one, const char *many, unsigned long n);
char *dngettext(const char *domain, const char *one, const char *many, unsigned long n);
char *dcngettext(const char *domain, const char *one, const char *many, unsigned long n, int category);
char *textdomain(const char *domain);
char *bindtextdomain(const char *domain, const char *dir);
char *bind_textdomain_codeset(const char *domain, const char *codeset);
#endif
