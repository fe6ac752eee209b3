// Email.Disconnect ("email.disconnect/1"): logs out of the named session and frees the name.
// Works on any session implementing "email.session/1", whichever plugin made it.
#pragma once

#include "actions/action.h"

namespace email {

// The action, with `schema_text` as its schema.
ActionDefinition disconnect_action(const char *schema_text);

}  // namespace email
