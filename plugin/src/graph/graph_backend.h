// The Microsoft 365 backend: a "microsoft365" target, Exchange Online through Microsoft Graph
// (backend/backend.h). OAuth2 only; the scope is the cloud's Graph mail scope, with .Shared for
// another user's or a shared mailbox.
#pragma once

#include "backend/backend.h"

namespace email {

const Backend &graph_backend();

}  // namespace email
