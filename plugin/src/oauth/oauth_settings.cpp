#include "oauth/oauth_settings.h"

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
   return std::string(provider == OAuthProvider::google ? "google" : "microsoft") + "\n" +
          to_lower_ascii(authority) + "\n" + to_lower_ascii(tenant) + "\n" + client_id + "\n" +
          to_lower_ascii(username) + "\n" + (flow == OAuthFlow::app_only ? "app" : "user") +
          "\n" + scope;
}

std::string microsoft_scope(OAuthFlow flow, const std::string &resource, const std::string &service) {
   if (flow == OAuthFlow::app_only) return resource + "/.default";
   // offline_access: a refresh token, so later connects sign in silently.
   return resource + "/" + service + ".AccessAsUser.All offline_access";
}

}  // namespace email
