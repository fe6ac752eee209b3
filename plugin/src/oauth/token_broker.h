// TokenBroker: the one place that decides how to get an access token for a mailbox, and
// remembers it (process-wide, thread-safe).
//
// Order: a cached access token until five minutes before it expires; else the refresh token
// stored in the Credential Vault (every rotated refresh token is stored back, so any process on
// any runner sharing the vault signs in silently); else, for app-only settings, the client
// credentials grant; else the resource-owner password grant when a password was given (its
// refresh token stored too); else Failure(authentication_failed) saying to Authorize first.
//
// Vault location of a refresh token: locker "rpa.email.oauth2", credential
// "<sha-256 hex of provider, authority, tenant, client, user>", attribute "refresh_token".
#pragma once

#include "http/https_client.h"
#include "oauth/oauth_settings.h"
#include "oauth/token_client.h"

namespace email {

class TokenBroker {
 public:
   // The access token to present for `settings` (Bearer).
   static SecretString access_token(const OAuthSettings &settings, HttpsClient &http, CallContext &context);
   // Forgets the cached access token, after a server refused it (one 401, one refresh).
   static void forget(const OAuthSettings &settings);
   // Keeps the sign-in obtained by the Authorize flow: stores its refresh token in the vault.
   // Throws Failure when there is none or the vault cannot store it.
   static void remember(const OAuthSettings &settings, AccessToken token, CallContext &context);
   // The vault reference of `settings`' refresh token.
   static CredentialRef refresh_token_ref(const OAuthSettings &settings);
};

}  // namespace email
