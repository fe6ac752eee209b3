// Email.Connect ("email.connect/1"): resolves credentials from a valid bag, opens an IMAP, POP3
// or EWS session and stores it in the host under the session name.
#pragma once

#include "actions/action.h"

namespace email {

// The action, with `schema_text` as its schema.
ActionDefinition connect_action(const char *schema_text);

}  // namespace email
