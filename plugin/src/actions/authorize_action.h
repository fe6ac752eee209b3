// Email.Authorize ("email.authorize/1"): the Connect action's Authorize button. Takes a Connect
// property bag with auth_type "oauth2", runs the interactive sign-in once (browser through the
// host's "rpa.browser/1" extension; see oauth/authorize_flow.h) and stores the refresh token in
// the Credential Vault, so that every later Connect with the same bag signs in silently, without
// a password. Opens no session.
#pragma once

#include "actions/action.h"

namespace email {

// Runs the action on a bag that passed its schema (see ActionTable::invoke).
ActionOutcome run_authorize(const ActionSchema &schema, const SecretDocument &bag, const HostServices &host);

}  // namespace email
