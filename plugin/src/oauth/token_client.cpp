#include "oauth/token_client.h"

#include <openssl/crypto.h>

#include <cstdlib>

#include "oauth/client_assertion.h"
#include "oauth/form_encoding.h"
#include "http/request_pipeline.h"
#include "rpa_common/json.h"
#include "util/text.h"

namespace email {

namespace {

SecretString token_form(const OAuthSettings &settings, const GrantInput &input) {
   SecretString form;
   switch (input.grant) {
   case TokenGrant::password:
      append_form_field(form, "grant_type", "password");
      append_form_field(form, "username", settings.username);
      append_form_field(form, "password", settings.password.view());
      break;
   case TokenGrant::refresh_token:
      append_form_field(form, "grant_type", "refresh_token");
      append_form_field(form, "refresh_token", input.refresh_token->view());
      break;
   case TokenGrant::authorization_code:
      append_form_field(form, "grant_type", "authorization_code");
      append_form_field(form, "code", input.code->view());
      append_form_field(form, "redirect_uri", input.redirect_uri);
      append_form_field(form, "code_verifier", input.code_verifier->view());
      break;
   case TokenGrant::client_credentials: append_form_field(form, "grant_type", "client_credentials"); break;
   }
   append_form_field(form, "client_id", settings.client_id);
   if (!settings.client_certificate.empty()) {
      // RFC 7523 2.2 as Microsoft's "certificate credentials" page shapes it; audience = the token URL.
      const ClientCertificate certificate(settings.client_certificate.view(), "client_certificate");
      append_form_field(form, "client_assertion_type", jwt_bearer_assertion_type);
      append_form_field(form, "client_assertion",
                        certificate.assertion(settings.client_id, settings.token_url()).view());
   } else if (!settings.client_secret.empty()) {
      append_form_field(form, "client_secret", settings.client_secret.view());
   }
   append_form_field(form, "scope", settings.scope);
   return form;
}

// Wipes a response body that held tokens.
void wipe(std::string &text) {
   if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
   text.clear();
}

}  // namespace

AccessToken request_token(HttpsClient &http, const OAuthSettings &settings, const GrantInput &input,
                          CallContext &context) {
   const auto make = [&] {
      HttpRequest request;
      request.url = settings.token_url();
      request.content_type = "application/x-www-form-urlencoded";
      request.headers.emplace_back("Accept", "application/json");
      request.body = token_form(settings, input);  // anew: a client assertion is for one request
      context.host().debug("OAuth2: POST " + request.url + " (" + to_string(input.grant) + ", client " +
                           settings.client_id + ", scope \"" + settings.scope + "\")");
      return request;
   };
   RequestRules rules;
   rules.server = settings.describe();
   rules.max_attempts = 5;
   rules.judge = [&](HttpResponse &answer, int attempt) -> std::optional<Throttled> {
      if (answer.status == 200) return std::nullopt;
      std::optional<Throttled> later = http_throttling(answer, attempt);
      if (!later) {
         Failure failure = token_endpoint_failure(answer.status, answer.body, settings, input.grant);
         wipe(answer.body);
         throw failure;
      }
      wipe(answer.body);
      return later;
   };
   FixedAuthorizer none{SecretString()};  // the client authenticates in the form
   HttpResponse response = send_request(
       make, none,
       [&](const HttpRequest &request) { return http.send(request, context, "the token request"); }, rules,
       context);
   return read_token_response(response.body, settings, input.grant);
}

AccessToken read_token_response(std::string &body, const OAuthSettings &settings, TokenGrant grant) {
   SecretDocument json;
   const rpa::JsonParseResult parsed = rpa::parse_json(json, body.data(), body.size());
   wipe(body);
   if (!parsed)  // what went wrong, never the bytes: they may hold a token
      throw Failure(RPA_PROTOCOL_ERROR, settings.describe() + " answered the " + to_string(grant) +
                                            " with something that is not JSON (" + parsed.message() + ")");
   if (!json.IsObject() || !json.HasMember("access_token") || !json["access_token"].IsString() ||
       json["access_token"].GetStringLength() == 0)
      throw Failure(RPA_PROTOCOL_ERROR,
                    settings.describe() + " answered the " + to_string(grant) + " without an access token");
   if (json.HasMember("token_type") && json["token_type"].IsString() &&
       !iequals(json["token_type"].GetString(), "Bearer"))
      throw Failure(RPA_PROTOCOL_ERROR, settings.describe() + " issued a \"" +
                                            printable(json["token_type"].GetString(), 40) +
                                            "\" token; only Bearer tokens are supported");
   AccessToken token;
   token.value = SecretString(
       std::string_view(json["access_token"].GetString(), json["access_token"].GetStringLength()));
   long long lifetime = 3600;  // RFC 6749 5.1: RECOMMENDED; Entra always sends it
   if (json.HasMember("expires_in")) {
      const SecretValue &expires = json["expires_in"];
      if (expires.IsInt64())
         lifetime = expires.GetInt64();
      else if (expires.IsString())
         lifetime = std::strtoll(expires.GetString(), nullptr, 10);  // some servers quote it
   }
   token.expires_at = std::chrono::steady_clock::now() + std::chrono::seconds(token_lifetime_kept(lifetime));
   if (json.HasMember("refresh_token") && json["refresh_token"].IsString())
      token.refresh_token = SecretString(
          std::string_view(json["refresh_token"].GetString(), json["refresh_token"].GetStringLength()));
   return token;
}

}  // namespace email
