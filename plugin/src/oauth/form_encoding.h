// application/x-www-form-urlencoded bodies built in a wiping buffer: token requests carry
// passwords, client secrets, refresh tokens and codes. (cpprestsdk's uri::encode_data_string
// returns a std::string that nobody would wipe.)
#pragma once

#include <string_view>

#include "util/secret.h"

namespace email {

// Appends "&name=value" ("name=value" first), percent-encoding all but RFC 3986 unreserved bytes.
void append_form_field(SecretString &form, std::string_view name, std::string_view value);

// Percent-encodes for a URL query (same rules); for values that are not secret.
std::string url_encode(std::string_view value);

}  // namespace email
