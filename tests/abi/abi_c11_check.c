/* Compiles every ABI header as C11 with -Wall -Wextra -pedantic -Werror (see tests/CMakeLists.txt):
 * the contract must be plain C. */
#include "rpa/byte_source.h"
#include "rpa/ext/actions.h"
#include "rpa/ext/browser.h"
#include "rpa/ext/cancel_signal.h"
#include "rpa/ext/email_send.h"
#include "rpa/ext/email_session.h"
#include "rpa/ext/email_watch.h"
#include "rpa/ext/log_level.h"
#include "rpa/host.h"
#include "rpa/plugin.h"
#include "rpa/session.h"
#include "rpa/status.h"
#include "rpa/text_sink.h"
#include "rpa/version.h"
#include "rpa/rpa.h"

int rpa_abi_c11_check(void);
int rpa_abi_c11_check(void) {
   rpa_version v = RPA_VERSION_INIT;
   return rpa_version_is_compatible(v) && rpa_interface_id_matches("email.session/1", "email.session", 1) &&
          rpa_interface_id_matches(RPA_EMAIL_SEND_ID, RPA_EMAIL_SEND_INTERFACE, RPA_EMAIL_SEND_REVISION) &&
          rpa_interface_id_matches(RPA_EMAIL_SEND_ID, RPA_EMAIL_SEND_INTERFACE, 1) &&
          RPA_EMAIL_SEND_1_SIZE < sizeof(rpa_email_send) && !rpa_byte_source_is_usable(NULL) &&
          rpa_interface_id_matches(RPA_EMAIL_WATCH_ID, RPA_EMAIL_WATCH_INTERFACE, 1) &&
          sizeof(rpa_host_cancel_signal) > sizeof(uint32_t) && RPA_EXT_CANCEL_SIGNAL[0] == 'r' &&
          sizeof(rpa_host_log_level) > sizeof(uint32_t) && RPA_EXT_LOG_LEVEL[0] == 'r' &&
          rpa_status_name(RPA_TIMEOUT)[0] == 't';
}
