/* Host extension "rpa.browser/1": showing a web page to the person at the machine.
 *
 * Only hosts with an interactive user offer it (an unattended bot runner returns NULL from
 * host->get_extension). A plugin uses it for interactive sign-in (OAuth2 authorization code). */
#ifndef RPA_EXT_BROWSER_H
#define RPA_EXT_BROWSER_H

#include "../private_macros.h"
#include "../status.h"

RPA_EXTERN_C_BEGIN

#define RPA_EXT_BROWSER_NAME "rpa.browser"
#define RPA_EXT_BROWSER_REVISION 1
#define RPA_EXT_BROWSER RPA_EXT_BROWSER_NAME "/" RPA_STRINGIFY(RPA_EXT_BROWSER_REVISION)

typedef struct rpa_host_browser {
   /* Opens `url` (UTF-8, NUL-terminated; an https:// sign-in page, never containing secrets) in
    * the user's browser and returns at once, without waiting for the page. `host_data` is the
    * services table's. [thread-safe] */
   rpa_status (*open_url)(void *host_data, const char *url);
} rpa_host_browser;

RPA_EXTERN_C_END

#endif
