// OAuthSettings: everything the OAuth2 module needs to get an access token for one mailbox,
// resolved from a Connect property bag (see properties/connect_request.h).
//
// Endpoints: Microsoft's identity platform v2.0, `<authority>/<tenant>/oauth2/v2.0/token` and
// `/authorize` (authority defaults to https://login.microsoftonline.com; national clouds set
// their own); Google's https://oauth2.googleapis.com/token and
// https://accounts.google.com/o/oauth2/v2/auth.
#pragma once

#include <string>

#include "net/tls_settings.h"
#include "util/secret.h"

namespace email {

enum class OAuthProvider { microsoft, google };

enum class OAuthFlow {
   delegated,  // a user's mailbox: refresh token from the vault, else the password grant
   app_only,   // client credentials (client_secret or client_certificate); the mailbox is named by `username`
};

struct OAuthSettings {
   OAuthProvider provider = OAuthProvider::microsoft;
   OAuthFlow flow = OAuthFlow::delegated;
   std::string authority = "https://login.microsoftonline.com";  // no trailing slash
   std::string tenant;                                           // Microsoft only
   std::string client_id;
   SecretString client_secret;  // app-only; Google installed apps; else empty
   // App-only instead of a secret: PEM text with the app's certificate and private key; each
   // token request then carries a fresh signed client assertion (oauth/client_assertion.h).
   SecretString client_certificate;
   std::string username;   // the mailbox (login_hint, vault key, XOAUTH2 user)
   SecretString password;  // for the resource-owner password grant; may be empty
   std::string scope;      // space-separated, e.g. ".../EWS.AccessAsUser.All offline_access"
   TlsSettings tls;        // trust for the identity platform (ca_file)

   std::string token_url() const;
   std::string authorize_url() const;
   // "the Microsoft identity platform (<authority>, tenant <tenant>)" or "Google", for messages.
   std::string describe() const;
   // Identifies the account: provider, authority, tenant, client and user (lower-cased where
   // case does not matter). The vault key of its refresh token derives from it.
   std::string account_key() const;
   // Identifies a cached access token: the account, flow, scope and a digest of client secret,
   // client certificate and password.
   std::string identity_key() const;
   // A copy (SecretStrings are move-only).
   OAuthSettings clone() const;
};

// The scopes to ask for. `resource` is the origin of the service ("https://outlook.office365.com"
// for Exchange Online); `service` is "EWS", "IMAP" or "POP".
std::string microsoft_scope(OAuthFlow flow, const std::string &resource, const std::string &service);
inline const char *google_mail_scope() { return "https://mail.google.com/"; }
// Microsoft Graph's mail scopes for `resource` (the cloud's Graph, e.g. https://graph.microsoft.com):
// delegated Mail.ReadWrite and Mail.Send (+ their .Shared forms for another mailbox) and
// offline_access;
// app-only <resource>/.default.
std::string graph_scope(OAuthFlow flow, const std::string &resource, bool shared_mailbox);

}  // namespace email
