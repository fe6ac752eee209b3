// The EWS backend: an "ews" target (backend/backend.h). It finds the EWS URL (ews_url, Office
// 365's endpoint, or Autodiscover), signs in with Basic, OAuth2 (scope for the EWS host) or
// Windows sign-in, and warns when the endpoint is Exchange Online's (EWS retires there).
#pragma once

#include "backend/backend.h"

namespace email {

const Backend &ews_backend();

}  // namespace email
