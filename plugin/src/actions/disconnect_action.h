// Email.Disconnect ("email.disconnect/1"): logs out of the named session and frees the name.
// Works on any session implementing "email.session/1", whichever plugin made it.
#pragma once

#include "actions/action.h"

namespace email {

// Runs the action on a bag that passed its schema (see ActionTable::invoke).
ActionOutcome run_disconnect(const ActionSchema &schema, const SecretDocument &bag, const HostServices &host);

}  // namespace email
