// The token endpoint (RFC 6749 section 4 and 6; Microsoft identity platform v2.0; Google).
//
// One POST per grant, form-encoded in a wiping buffer; the answer's access token, lifetime and
// (rotated) refresh token are returned in SecretStrings, and the response body is wiped.
#pragma once

#include <chrono>
#include <string>

#include "http/https_client.h"
#include "oauth/oauth_settings.h"
#include "oauth/token_errors.h"

namespace email {

struct AccessToken {
   SecretString value;
   std::chrono::steady_clock::time_point expires_at;
   SecretString refresh_token;  // empty when the server issued none
};

// What a grant sends beyond grant_type, client_id, client_secret (when set) and scope.
struct GrantInput {
   GrantInput(TokenGrant kind) : grant(kind) {}  // NOLINT: {TokenGrant::password} reads well
   TokenGrant grant;
   const SecretString *refresh_token = nullptr;  // refresh_token
   const SecretString *code = nullptr;           // authorization_code
   std::string redirect_uri;                     // authorization_code
   const SecretString *code_verifier = nullptr;  // authorization_code (PKCE)
};

// Throws Failure(authentication_failed) with token_endpoint_failure's message when the server
// refuses, Failure(protocol_error) when its answer is not a token response.
AccessToken request_token(HttpsClient &http, const OAuthSettings &settings, const GrantInput &input,
                          CallContext &context);

// How long a token whose answer said `expires_in` seconds is kept: that, within 0 and one day
// (Entra's last 60 to 90 minutes; a server claiming years, or a number past what a clock can add,
// gets a new token asked for after a day, never an overflowed expiry).
constexpr long long token_lifetime_kept(long long expires_in) {
   return expires_in < 0 ? 0 : expires_in > 86400 ? 86400 : expires_in;
}

// A 200 answer's body to a token (pure; fuzzed). Wipes `body`. Throws Failure(protocol_error).
AccessToken read_token_response(std::string &body, const OAuthSettings &settings, TokenGrant grant);

}  // namespace email
