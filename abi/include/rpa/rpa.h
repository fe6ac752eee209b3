/* Umbrella header: the core contract (plugin.h, host.h and what they include) and every
 * extension in ext/. Include the single headers instead to depend on less. */
#ifndef RPA_RPA_H
#define RPA_RPA_H

#include "byte_source.h"
#include "plugin.h"
#include "ext/actions.h"
#include "ext/browser.h"
#include "ext/cancel_signal.h"
#include "ext/email_mailbox.h"
#include "ext/email_send.h"
#include "ext/email_session.h"
#include "ext/email_watch.h"
#include "ext/log_level.h"
#include "ext/step_migration.h"

#endif
