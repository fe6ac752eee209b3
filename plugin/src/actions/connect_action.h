// Email.Connect ("email.connect/1"): resolves credentials from a valid bag, opens an IMAP, POP3,
// EWS or Microsoft 365 (Graph) session and stores it in the host under the session name.
#pragma once

#include "actions/action.h"

namespace email {

// Runs the action on a bag that passed its schema (see ActionTable::invoke).
ActionOutcome run_connect(const ActionSchema &schema, const SecretDocument &bag, const HostServices &host);

}  // namespace email
