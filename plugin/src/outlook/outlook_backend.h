// The Outlook backend: an "outlook" target, classic desktop Outlook driven through its object
// model (COM automation, outlook/outlook_session.h), on Windows. Elsewhere it answers unsupported
// and names the connection types that reach the same mailbox without Outlook.
// The backend itself is outlook_backend.cpp; what differs by system is in
// outlook_backend_windows.cpp and outlook_backend_posix.cpp.
#pragma once

#include "backend/backend.h"

namespace email {

const Backend &outlook_backend();

// Throws Failure(unsupported) when classic Outlook cannot be driven here: off Windows; Outlook
// not installed; only the new Outlook installed (it has no object model). Connect asks first,
// before the session name and the vault.
void require_classic_outlook();

// Opens the session for `target` (Windows: outlook/outlook_session.h); elsewhere throws as
// require_classic_outlook does.
OpenedMailbox open_outlook(const OutlookTarget &target, CallContext &context);

}  // namespace email
