// Email.WaitForMessage ("email.wait-for-message/1"): waits for new mail in a folder of a session
// through its "email.watch/1" interface (rpa/ext/email_watch.h), so a bot can start on new mail
// without a sibling plugin. Result: {"messages": [summaries], "cursor", "cursor_reset"}; the bot
// keeps the cursor for its next wait.
#pragma once

#include "actions/action.h"

namespace email {

// Runs the action on a bag that passed its schema (see ActionTable::invoke).
ActionOutcome run_wait_for_message(const ActionSchema &schema, const SecretDocument &bag,
                                   const HostServices &host);

}  // namespace email
