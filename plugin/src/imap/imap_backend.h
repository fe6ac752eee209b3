// The IMAP backend: an email_server target with protocol "imap" (backend/backend.h).
#pragma once

#include "backend/backend.h"

namespace email {

const Backend &imap_backend();

}  // namespace email
