#include "actions/authorize_action.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "actions/mail_connection.h"
#include "oauth/authorize_flow.h"
#include "oauth/token_broker.h"
#include "properties/connect_request.h"
#include "util/failure.h"

namespace email {

namespace {
// How long the user has to finish signing in, at least.
constexpr std::chrono::seconds kMinimumSignInTime{300};
}  // namespace

AuthorizeAction::AuthorizeAction(const char *connect_schema_text) : schema_(connect_schema_text) {
   descriptor_.struct_size = sizeof(rpa_action_descriptor);
   descriptor_.id = "email.authorize/1";
   descriptor_.package = "Email";
   descriptor_.name = "Authorize";
   descriptor_.label_en = "Authorize";
   descriptor_.label_ja = "承認";
   descriptor_.description_en =
       "Signs in once in a browser for a Connect action with auth_type \"oauth2\" and keeps the "
       "sign-in (a refresh token) in the Credential Vault; later connects need no password.";
   descriptor_.schema_json = schema_.text();
}

ActionOutcome AuthorizeAction::invoke(const char *properties_json, std::size_t properties_size,
                                      const HostServices &host) const {
   SecretDocument bag;
   parse_property_bag(properties_json, properties_size, bag);
   require_valid(schema_, bag);
   if (connection_of(bag) == ConnectionKind::outlook)
      throw Failure(RPA_INVALID_PROPERTIES, "connection \"outlook\" has nothing to authorize");
   ConnectRequest request = resolve_connect_request(schema_, bag, host);
   if (request.auth != AuthKind::oauth2)
      throw Failure(RPA_INVALID_PROPERTIES, "auth_type: Authorize is for auth_type \"oauth2\" (a user "
                                            "signing in); this bag uses another sign-in");
   CallContext context(host, request.endpoint.timeout, server_label(request));
   const std::string ews_url =
       request.connection == ConnectionKind::ews ? ews_url_for(request, context) : std::string();
   OAuthSettings settings = oauth_settings_for(request, ews_url);
   settings.password.clear();  // the point is to sign in without it
   HttpsClient http(settings.tls);
   authorize_interactively(settings, http, host, std::max(kMinimumSignInTime,
                           std::chrono::duration_cast<std::chrono::seconds>(request.endpoint.timeout)));

   const CredentialRef stored = TokenBroker::refresh_token_ref(settings);
   ActionOutcome outcome;
   outcome.message = "authorized \"" + request.username + "\" at " + settings.describe() +
                     "; the sign-in is kept in the Credential Vault (locker \"" + stored.locker +
                     "\"), so Connect needs no password from now on";
   rapidjson::StringBuffer buffer;
   rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
   json.StartObject();
   json.Key("authorized");
   json.String(request.username.c_str());
   json.Key("vault");
   json.StartObject();
   json.Key("locker");
   json.String(stored.locker.c_str());
   json.Key("credential");
   json.String(stored.name.c_str());
   json.Key("attribute");
   json.String(stored.attribute.c_str());
   json.EndObject();
   json.EndObject();
   outcome.result_json = buffer.GetString();
   return outcome;
}

}  // namespace email
