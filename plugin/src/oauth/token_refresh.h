// One rule for every service that takes an OAuth2 access token: when the server refuses the token
// itself, forget the cached token, get a fresh one and try once more. A cached token may have been
// revoked or may have expired early; a second refusal is the answer. IMAP and POP3 (SASL) sign in
// through with_token_refresh; HTTP services through oauth/bearer_authorizer.h, which keeps the
// same rule inside the request pipeline.
#pragma once

#include <string>
#include <utility>

#include "oauth/token_broker.h"
#include "util/failure.h"

namespace email {

// Calls `attempt(token)` with an access token for `settings`; on TokenRefused, once more with a
// fresh token (TokenRefused: util/failure.h). `service` names the server's protocol in the log line ("IMAP", "EWS").
template <typename Attempt>
auto with_token_refresh(const OAuthSettings &settings, HttpsClient &identity, CallContext &context,
                        const std::string &service, Attempt attempt) {
   try {
      return attempt(TokenBroker::access_token(settings, identity, context));
   } catch (const TokenRefused &) {
      context.host().info(service + ": the server refused the access token; getting a fresh one");
      TokenBroker::forget(settings);
   }
   return attempt(TokenBroker::access_token(settings, identity, context));
}

}  // namespace email
