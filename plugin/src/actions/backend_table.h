// The backends Connect and Authorize open mailboxes with, one per connection type that has one
// here (backend/backend.h): IMAP, POP3, EWS, Microsoft 365, Outlook (which answers unsupported off
// Windows).
#pragma once

#include "backend/backend.h"

namespace email {

// The backend that serves `request`'s target. Throws Failure(unsupported) when none does
// (Outlook off Windows).
const Backend &backend_for(const ConnectRequest &request);

}  // namespace email
