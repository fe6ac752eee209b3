#include "oauth/authorize_flow.h"

#include "oauth/form_encoding.h"
#include "oauth/loopback_redirect.h"
#include "oauth/pkce.h"
#include "oauth/token_broker.h"
#include "oauth/token_client.h"
#include "util/text.h"

namespace email {

void authorize_interactively(const OAuthSettings &settings, HttpsClient &http, const HostServices &host,
                             std::chrono::seconds wait) {
   if (settings.flow == OAuthFlow::app_only)
      throw Failure(RPA_INVALID_PROPERTIES,
                    "auth_type \"oauth2_app\" signs in with the client secret or "
                    "certificate alone; there is nothing to authorize");
   if (!host.can_open_url())
      throw Failure(RPA_UNSUPPORTED,
                    "Authorize needs a browser, and this host cannot open one (it "
                    "offers no browser extension; an unattended runner?). Run "
                    "`rpa-host authorize PROPERTIES.json` on a desktop that shares "
                    "the Credential Vault");
   if (!host.can_store_secrets())  // say so before the user signs in for nothing
      throw Failure(RPA_UNSUPPORTED,
                    "Authorize keeps the sign-in in the Credential Vault, and this "
                    "host cannot store secrets there (no vault, or no vault_put "
                    "service); run rpa-host with --vault");
   LoopbackRedirect redirect;
   const SecretString verifier = random_url_token(48);  // 64 characters (RFC 7636: 43..128)
   const SecretString state = random_url_token(24);
   std::string url = settings.authorize_url() + "?client_id=" + url_encode(settings.client_id) +
                     "&response_type=code&redirect_uri=" + url_encode(redirect.redirect_uri()) +
                     "&response_mode=query&scope=" + url_encode(settings.scope) +
                     "&state=" + std::string(state.view()) +
                     "&code_challenge=" + pkce_s256_challenge(verifier.view()) +
                     "&code_challenge_method=S256&login_hint=" + url_encode(settings.username);
   if (settings.provider == OAuthProvider::google) url += "&access_type=offline&prompt=consent";

   CallContext waiting(host, wait, "the browser sign-in");
   host.info("Authorize: opening the sign-in page of " + settings.describe() + " for \"" + settings.username +
             "\"; waiting up to " + std::to_string(wait.count()) + " s for the browser to come back to " +
             redirect.redirect_uri());
   host.open_url(url);

   SecretString code;
   for (;;) {
      std::map<std::string, std::string> query = redirect.next_query(waiting);
      if (query["state"] != state.view()) {
         redirect.respond(400, "Sign-in not accepted",
                          "This response does not belong to the sign-in "
                          "the bot started.");
         host.warning("Authorize: ignored a redirect whose state does not match the request");
         continue;
      }
      if (!query["error"].empty()) {
         redirect.respond(400, "Sign-in failed", query["error"] + ": " + query["error_description"]);
         throw Failure(
             RPA_AUTHENTICATION_FAILED,
             "authentication failed: the sign-in of \"" + settings.username + "\" at " + settings.describe() +
                 " ended with " + printable(query["error"], 80) +
                 (query["error_description"].empty() ? ""
                                                     : ": " + printable(query["error_description"], 300)));
      }
      if (query["code"].empty()) {
         redirect.respond(400, "Sign-in not accepted", "The redirect carried no authorization code.");
         continue;
      }
      code = SecretString(query["code"]);
      redirect.respond(200, "Signed in", "The bot is now authorized. You can close this window.");
      break;
   }

   CallContext exchange(
       host, waiting.timeout() < std::chrono::seconds(30) ? waiting.timeout() : std::chrono::seconds(30),
       settings.token_url());
   GrantInput input{TokenGrant::authorization_code};
   input.code = &code;
   input.redirect_uri = redirect.redirect_uri();
   input.code_verifier = &verifier;
   AccessToken token = request_token(http, settings, input, exchange);
   TokenBroker::remember(settings, std::move(token), exchange);
   host.info("Authorize: \"" + settings.username + "\" is authorized; later connects sign in silently");
}

}  // namespace email
