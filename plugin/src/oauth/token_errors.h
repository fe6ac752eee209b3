// What a token endpoint's error answer means for the bot designer.
//
// Entra ID answers {"error": "...", "error_description": "AADSTS50126: ...\r\nTrace ID: ...",
// "error_codes": [50126], ...} (learn.microsoft.com/entra/identity-platform/reference-error-codes);
// Google answers {"error": "...", "error_description": "..."}. The well-known codes get a
// message that says what to do; anything else quotes the error and the first line of its
// description. Always Failure(authentication_failed): the identity platform refused to sign in.
#pragma once

#include <string_view>

#include "oauth/oauth_settings.h"
#include "util/failure.h"

namespace email {

enum class TokenGrant { password, refresh_token, authorization_code, client_credentials };

const char *to_string(TokenGrant grant);

Failure token_endpoint_failure(int http_status, std::string_view body, const OAuthSettings &settings,
                               TokenGrant grant);

}  // namespace email
