// Where an HTTP request of the plugin goes: its URL parsed and checked (https://, or plain http://
// only where HttpRequest::allow_plain_http lets an unauthenticated request without a body through).
#pragma once

#include <cpprest/base_uri.h>

#include <cstdint>
#include <string>

#include "http/https_client.h"

namespace email {

struct RequestTarget {
   web::uri uri;
   std::string host;
   std::uint16_t port = 443;
   bool plain = false;  // http://
};

// Throws Failure: invalid_properties for a URL that does not parse, tls_failed for one that is not
// https:// (and not let through in plain text); `what` names the request in messages.
RequestTarget target_of(const HttpRequest &request, const char *what);

}  // namespace email
