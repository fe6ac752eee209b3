/* See libintl.c: gettext without catalogues, for GLib on Windows. format_arg, as GNU libintl.h has it,
 * lets GLib's -Werror=format=2 check the translated format strings. */
#ifndef RPA_WINDOWS_LIBINTL_H
#define RPA_WINDOWS_LIBINTL_H
#include <locale.h>
#ifndef LC_MESSAGES
#  define LC_MESSAGES 1729 /* as GNU libintl and proxy-libintl define it where locale.h does not */
#endif
char *gettext(const char *msgid) __attribute__((format_arg(1)));
char *dgettext(const char *domain, const char *msgid) __attribute__((format_arg(2)));
char *dcgettext(const char *domain, const char *msgid, int category) __attribute__((format_arg(2)));
char *ngettext(const char *one, const char *many, unsigned long n) __attribute__((format_arg(1)))
__attribute__((format_arg(2)));
char *dngettext(const char *domain, const char *one, const char *many, unsigned long n)
    __attribute__((format_arg(2))) __attribute__((format_arg(3)));
char *dcngettext(const char *domain, const char *one, const char *many, unsigned long n, int category)
    __attribute__((format_arg(2))) __attribute__((format_arg(3)));
char *textdomain(const char *domain);
char *bindtextdomain(const char *domain, const char *dir);
char *bind_textdomain_codeset(const char *domain, const char *codeset);
#endif
