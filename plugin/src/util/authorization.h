// Authorization header values, built in wiping buffers: "Basic base64(user:password)" (RFC 7617;
// for servers and HTTP proxies alike) and "Bearer <token>" (RFC 6750).
#pragma once

#include <string_view>

#include "util/secret.h"

namespace email {

SecretString basic_authorization(std::string_view user, std::string_view password);
SecretString bearer_authorization(std::string_view token);

}  // namespace email
