// Base64 (RFC 4648, with padding, no line breaks) through OpenSSL's EVP_EncodeBlock and
// EVP_DecodeBlock, into wiping buffers because what we encode is mostly credentials.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rpa_common/secret.h"

namespace rpa {

SecretString base64_encode(std::string_view bytes);
// The same into a plain string, for what is no secret and may be large (a message to send or save).
std::string base64_text(std::string_view bytes);
// nullopt when `text` is not valid base64.
std::optional<SecretString> base64_decode(std::string_view text);

}  // namespace rpa
