#include "oauth/oauth_settings.h"

#include "util/sha256.h"
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

std::string OAuthSettings::account_key() const {
   return std::string(provider == OAuthProvider::google ? "google" : "microsoft") + "\n" +
          to_lower_ascii(authority) + "\n" + to_lower_ascii(tenant) + "\n" + client_id + "\n" +
          to_lower_ascii(username);
}

std::string OAuthSettings::identity_key() const {
   // A digest of the secrets, so a bag with a wrong secret never gets a token earned by the
   // right one (the cache is keyed in memory only; the digest is not a secret store).
   return account_key() + "\n" + (flow == OAuthFlow::app_only ? "app" : "user") + "\n" + scope + "\n" +
          sha256({client_secret.view(), "\n", client_certificate.view(), "\n", password.view()});
}

OAuthSettings OAuthSettings::clone() const {
   OAuthSettings copy;
   copy.provider = provider;
   copy.flow = flow;
   copy.authority = authority;
   copy.tenant = tenant;
   copy.client_id = client_id;
   copy.client_secret = client_secret.clone();
   copy.client_certificate = client_certificate.clone();
   copy.username = username;
   copy.password = password.clone();
   copy.scope = scope;
   copy.tls = tls;
   return copy;
}

std::string microsoft_scope(OAuthFlow flow, const std::string &resource, const std::string &service) {
   if (flow == OAuthFlow::app_only) return resource + "/.default";
   // offline_access: a refresh token, so later connects sign in silently.
   return resource + "/" + service + ".AccessAsUser.All offline_access";
}

std::string graph_scope(OAuthFlow flow, const std::string &resource, bool shared_mailbox) {
   if (flow == OAuthFlow::app_only) return resource + "/.default";
   return resource + "/Mail.ReadWrite " + resource + "/Mail.Send " +
          (shared_mailbox ? resource + "/Mail.ReadWrite.Shared " + resource + "/Mail.Send.Shared " : "") +
          "offline_access";
}

}  // namespace email
