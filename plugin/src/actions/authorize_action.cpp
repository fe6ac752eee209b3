#include "actions/authorize_action.h"

#include "actions/backend_table.h"
#include "oauth/authorize_flow.h"
#include "oauth/token_broker.h"
#include "properties/connect_request.h"
#include "util/failure.h"
#include "util/json_writer.h"

namespace email {

namespace {
// How long the user has to finish signing in, at least.
constexpr std::chrono::seconds kMinimumSignInTime{300};
}  // namespace

ActionOutcome run_authorize(const ActionSchema &schema, const SecretDocument &bag, const HostServices &host) {
   if (connection_of(bag) == ConnectionKind::outlook)
      throw Failure(RPA_INVALID_PROPERTIES, "connection \"outlook\" has nothing to authorize");
   ConnectRequest request = resolve_connect_request(schema, bag, host);
   if (request.auth != AuthKind::oauth2)
      throw Failure(RPA_INVALID_PROPERTIES,
                    "auth_type: Authorize is for auth_type \"oauth2\" (a user "
                    "signing in); this bag uses another sign-in");
   const Backend &backend = backend_for(request);
   CallContext context(host, request.timeout, backend.server_label(request));
   OAuthSettings settings = backend.oauth_settings(request, context);
   settings.password.clear();  // the point is to sign in without it
   HttpsClient http(settings.tls);
   authorize_interactively(
       settings, http, host,
       std::max(kMinimumSignInTime, std::chrono::duration_cast<std::chrono::seconds>(request.timeout)));

   const CredentialRef stored = TokenBroker::refresh_token_ref(settings);
   ActionOutcome outcome;
   outcome.message = "authorized \"" + request.username + "\" at " + settings.describe() +
                     "; the sign-in is kept in the Credential Vault (locker \"" + stored.locker +
                     "\"), so Connect needs no password from now on";
   outcome.result_json = JsonWriter()
                             .string("authorized", request.username)
                             .begin_object("vault")
                             .string("locker", stored.locker)
                             .string("credential", stored.name)
                             .string("attribute", stored.attribute)
                             .end_object()
                             .finish();
   return outcome;
}

}  // namespace email
