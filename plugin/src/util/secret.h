// The plugin's names for the shared secret-handling pieces (common/include/rpa_common/).
#pragma once

#include "rpa_common/base64.h"
#include "rpa_common/secret.h"
#include "rpa_common/wiping_allocator.h"

namespace email {
using rpa::base64_decode;
using rpa::base64_encode;
using rpa::redact;
using rpa::SecretDocument;
using rpa::SecretString;
using rpa::SecretValue;
}  // namespace email
