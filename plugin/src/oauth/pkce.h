// PKCE (RFC 7636) and the random values of the authorization-code flow.
#pragma once

#include <string>
#include <string_view>

#include "util/secret.h"

namespace email {

// `bytes` random bytes (OpenSSL's DRBG), base64url without padding.
SecretString random_url_token(std::size_t bytes);

// The S256 code challenge of `verifier`: BASE64URL(SHA256(verifier)).
std::string pkce_s256_challenge(std::string_view verifier);

// Base64url (RFC 4648 section 5) without padding.
std::string base64url(std::string_view bytes);

}  // namespace email
