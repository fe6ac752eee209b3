#include "oauth/token_broker.h"

#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "util/sha256.h"

namespace email {

namespace {

constexpr std::chrono::minutes kRenewBeforeExpiry{5};

struct CachedToken {
   SecretString value;
   std::chrono::steady_clock::time_point expires_at;
};

std::mutex cache_mutex;
std::map<std::string, CachedToken> &cache() {
   static std::map<std::string, CachedToken> tokens;  // wiped by SecretString at exit
   return tokens;
}

// One sign-in at a time per grant: two sessions that both miss the cache must not both redeem
// the same refresh token (the identity platform rotates it; the second would be refused).
std::shared_ptr<std::mutex> acquisition_lock(const std::string &key) {
   static std::mutex locks_mutex;
   static std::map<std::string, std::weak_ptr<std::mutex>> locks;
   std::lock_guard<std::mutex> lock(locks_mutex);
   std::shared_ptr<std::mutex> found = locks[key].lock();
   if (!found) {
      found = std::make_shared<std::mutex>();
      locks[key] = found;
   }
   return found;
}

// The cached token for `key` when it is good for five more minutes, else empty.
SecretString cached_token(const std::string &key) {
   std::lock_guard<std::mutex> lock(cache_mutex);
   auto found = cache().find(key);
   if (found != cache().end() &&
       found->second.expires_at - kRenewBeforeExpiry > std::chrono::steady_clock::now())
      return found->second.value.clone();
   return {};
}

void cache_token(const OAuthSettings &settings, const AccessToken &token) {
   std::lock_guard<std::mutex> lock(cache_mutex);
   cache()[settings.identity_key()] = CachedToken{token.value.clone(), token.expires_at};
}

void store_refresh_token(const OAuthSettings &settings, const AccessToken &token, CallContext &context,
                         bool required) {
   if (token.refresh_token.empty()) return;
   try {
      context.host().vault_put(TokenBroker::refresh_token_ref(settings), token.refresh_token.view());
      context.host().debug("OAuth2: stored the refresh token of \"" + settings.username +
                           "\" in the Credential Vault");
   } catch (const Failure &failure) {
      if (required) throw;
      context.host().warning(
          "OAuth2: the refresh token was not stored, so the next connect signs "
          "in again: " +
          std::string(failure.what()));
   }
}

// The refresh token stored for `settings`, or empty.
SecretString stored_refresh_token(const OAuthSettings &settings, CallContext &context) {
   if (!context.host().has_vault()) return {};
   try {
      return context.host().vault_get(TokenBroker::refresh_token_ref(settings), "refresh token");
   } catch (const Failure &failure) {
      if (failure.status() == RPA_CREDENTIAL_NOT_FOUND) return {};
      throw;
   }
}

}  // namespace

CredentialRef TokenBroker::refresh_token_ref(const OAuthSettings &settings) {
   return {"rpa.email.oauth2", sha256_hex({settings.account_key()}), "refresh_token"};
}

SecretString TokenBroker::access_token(const OAuthSettings &settings, HttpsClient &http,
                                       CallContext &context) {
   const std::string key = settings.identity_key();
   if (SecretString cached = cached_token(key); !cached.empty()) {
      context.host().debug("OAuth2: reusing the access token of \"" + settings.username + "\"");
      return cached;
   }
   std::shared_ptr<std::mutex> acquiring = acquisition_lock(key);
   std::unique_lock<std::mutex> one_at_a_time(*acquiring, std::defer_lock);
   while (!one_at_a_time.try_lock())  // waits like every other wait: timeout and cancel apply
      std::this_thread::sleep_for(std::chrono::milliseconds(
          std::min(20, context.next_wait_ms("another sign-in of the same account"))));
   if (SecretString cached = cached_token(key); !cached.empty()) {  // the other one got it
      context.host().debug("OAuth2: reusing the access token of \"" + settings.username + "\"");
      return cached;
   }
   AccessToken token;
   if (settings.flow == OAuthFlow::app_only) {
      token = request_token(http, settings, {TokenGrant::client_credentials}, context);
   } else if (SecretString refresh = stored_refresh_token(settings, context); !refresh.empty()) {
      GrantInput input{TokenGrant::refresh_token};
      input.refresh_token = &refresh;
      try {
         token = request_token(http, settings, input, context);
      } catch (const Failure &failure) {
         if (failure.status() != RPA_AUTHENTICATION_FAILED || settings.password.empty()) throw;
         context.host().warning(std::string("OAuth2: ") + failure.what() + "; signing in with the password");
         token = request_token(http, settings, {TokenGrant::password}, context);
      }
      store_refresh_token(settings, token, context, false);  // rotated: the old one may stop working
   } else if (!settings.password.empty()) {
      token = request_token(http, settings, {TokenGrant::password}, context);
      store_refresh_token(settings, token, context, false);
   } else {
      throw Failure(RPA_AUTHENTICATION_FAILED,
                    "authentication failed: \"" + settings.username +
                        "\" has not authorized this "
                        "bot yet and no password was given. Authorize first: press Authorize in the "
                        "Connect action (or run `rpa-host authorize PROPERTIES.json`) and sign in once; "
                        "later connects then sign in silently.");
   }
   cache_token(settings, token);
   return std::move(token.value);
}

void TokenBroker::forget(const OAuthSettings &settings) {
   std::lock_guard<std::mutex> lock(cache_mutex);
   cache().erase(settings.identity_key());
}

void TokenBroker::remember(const OAuthSettings &settings, AccessToken token, CallContext &context) {
   if (token.refresh_token.empty())
      throw Failure(RPA_PROTOCOL_ERROR, settings.describe() +
                                            " issued no refresh token, so the sign-in "
                                            "cannot be remembered (is offline_access allowed for the app?)");
   // Only the refresh token: Authorize usually runs at design time, in another process than
   // the bot, and the first Connect proves the stored sign-in works.
   store_refresh_token(settings, token, context, true);
}

}  // namespace email
