/* A libintl with no catalogues, for GLib on Windows (what GLib's own proxy-libintl subproject is, which
 * meson would download): every message stays in English, which is all the plugin shows of GLib's. */
#include <stddef.h>
char *gettext(const char *msgid) { return (char *)msgid; }
char *dgettext(const char *domain, const char *msgid) {
   (void)domain;
   return (char *)msgid;
}
char *dcgettext(const char *domain, const char *msgid, int category) {
   (void)domain;
   (void)category;
   return (char *)msgid;
}
char *ngettext(const char *one, const char *many, unsigned long n) { return (char *)(n == 1 ? one : many); }
char *dngettext(const char *domain, const char *one, const char *many, unsigned long n) {
   (void)domain;
   return (char *)(n == 1 ? one : many);
}
char *dcngettext(const char *domain, const char *one, const char *many, unsigned long n, int category) {
   (void)domain;
   (void)category;
   return (char *)(n == 1 ? one : many);
}
char *textdomain(const char *domain) { return (char *)(domain ? domain : "messages"); }
char *bindtextdomain(const char *domain, const char *dir) {
   (void)domain;
   return (char *)dir;
}
char *bind_textdomain_codeset(const char *domain, const char *codeset) {
   (void)domain;
   return (char *)codeset;
}
