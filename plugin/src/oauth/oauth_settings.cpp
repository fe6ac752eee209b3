#include "oauth/oauth_settings.h"

#include <openssl/evp.h>

#include "util/text.h"

namespace email {

std::string OAuthSettings::token_url() const {
   if (provider == OAuthProvider::google) return "https://oauth2.googleapis.com/token";
   return authority + "/" + tenant + "/oauth2/v2.0/token";
}

std::string OAuthSettings::authorize_url() const {
   if (provider == OAuthProvider::google) return "https://accounts.google.com/o/oauth2/v2/auth";
   return authority + "/" + tenant + "/oauth2/v2.0/authorize";
}

std::string OAuthSettings::describe() const {
   if (provider == OAuthProvider::google) return "Google's OAuth 2.0 server";
   return "the Microsoft identity platform (" + authority + ", tenant \"" + tenant + "\")";
}

std::string OAuthSettings::identity_key() const {
   // A digest of the secrets, so a bag with a wrong secret never gets a token earned by the
   // right one (the cache is keyed in memory only; the digest is not a secret store).
   EVP_MD_CTX *digest = EVP_MD_CTX_new();
   unsigned char hash[EVP_MAX_MD_SIZE];
   unsigned int size = 0;
   EVP_DigestInit_ex(digest, EVP_sha256(), nullptr);
   EVP_DigestUpdate(digest, client_secret.data(), client_secret.size());
   EVP_DigestUpdate(digest, "\n", 1);
   EVP_DigestUpdate(digest, password.data(), password.size());
   EVP_DigestFinal_ex(digest, hash, &size);
   EVP_MD_CTX_free(digest);
   return std::string(provider == OAuthProvider::google ? "google" : "microsoft") + "\n" +
          to_lower_ascii(authority) + "\n" + to_lower_ascii(tenant) + "\n" + client_id + "\n" +
          to_lower_ascii(username) + "\n" + (flow == OAuthFlow::app_only ? "app" : "user") +
          "\n" + scope + "\n" + std::string(reinterpret_cast<const char *>(hash), size);
}

std::string microsoft_scope(OAuthFlow flow, const std::string &resource, const std::string &service) {
   if (flow == OAuthFlow::app_only) return resource + "/.default";
   // offline_access: a refresh token, so later connects sign in silently.
   return resource + "/" + service + ".AccessAsUser.All offline_access";
}

}  // namespace email
