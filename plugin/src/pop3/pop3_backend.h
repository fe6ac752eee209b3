// The POP3 backend: an email_server target with protocol "pop3" (backend/backend.h).
#pragma once

#include "backend/backend.h"

namespace email {

const Backend &pop3_backend();

}  // namespace email
