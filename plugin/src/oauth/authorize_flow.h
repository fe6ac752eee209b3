// The interactive "Authorize" (needed only the first time): OAuth 2.0 authorization code with
// PKCE S256 for native apps (RFC 8252) against the Microsoft identity platform or Google.
//
// 1. Listens on an ephemeral loopback port (127.0.0.1, and ::1 when available); the redirect URI
//    is http://localhost:<port>/ (Entra and Google accept any port for localhost).
// 2. Asks the host to open the authorize URL (client_id, response_type=code, redirect_uri,
//    scope, state, code_challenge, code_challenge_method=S256, login_hint; Google also
//    access_type=offline and prompt=consent).
// 3. Waits up to `wait` (and honours cancellation) for the browser's redirect; a request whose
//    `state` does not match is answered 400 and ignored; an `error` ends the flow with the
//    identity platform's explanation.
// 4. Exchanges the code (with the verifier) and keeps the tokens through TokenBroker::remember,
//    so the refresh token lands in the Credential Vault.
#pragma once

#include <chrono>

#include "http/https_client.h"
#include "oauth/oauth_settings.h"

namespace email {

void authorize_interactively(const OAuthSettings &settings, HttpsClient &http, const HostServices &host,
                             std::chrono::seconds wait);

}  // namespace email
