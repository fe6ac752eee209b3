#include "oauth/token_errors.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <vector>

#include "rpa_common/json.h"
#include "util/text.h"

namespace email {

namespace {

struct TokenError {
   std::string error;
   std::string description;  // the first line, without trace and correlation IDs
   std::vector<long long> codes;
};

TokenError parse(std::string_view body) {
   TokenError parsed;
   rapidjson::Document json;
   if (!rpa::parse_json(json, body.data(), body.size()) || !json.IsObject()) return parsed;
   if (json.HasMember("error") && json["error"].IsString()) parsed.error = json["error"].GetString();
   if (json.HasMember("error_description") && json["error_description"].IsString()) {
      std::string description = json["error_description"].GetString();
      parsed.description = printable(description.substr(0, description.find_first_of("\r\n")), 400);
   }
   if (json.HasMember("error_codes") && json["error_codes"].IsArray())
      for (const auto &code : json["error_codes"].GetArray())
         if (code.IsInt64()) parsed.codes.push_back(code.GetInt64());
   return parsed;
}

bool has_code(const TokenError &error, std::initializer_list<long long> codes) {
   for (long long code : codes)
      if (std::find(error.codes.begin(), error.codes.end(), code) != error.codes.end()) return true;
   return false;
}

}  // namespace

const char *to_string(TokenGrant grant) {
   switch (grant) {
   case TokenGrant::password: return "password grant";
   case TokenGrant::refresh_token: return "refresh token";
   case TokenGrant::authorization_code: return "authorization code";
   case TokenGrant::client_credentials: return "client credentials";
   }
   return "grant";
}

Failure token_endpoint_failure(int http_status, std::string_view body, const OAuthSettings &settings,
                               TokenGrant grant) {
   const TokenError error = parse(body);
   const std::string who = "\"" + settings.username + "\"";
   const std::string where = settings.describe();
   auto fail = [](const std::string &message) { return Failure(RPA_AUTHENTICATION_FAILED, message); };
   const std::string said = error.error.empty()
                                ? "HTTP " + std::to_string(http_status)
                                : error.error + (error.description.empty() ? "" : ": " + error.description);

   if (has_code(error, {50076, 50079, 50074, 50158}))
      return fail("authentication failed: " + where + " requires multi-factor authentication for " + who +
                  ", which the password grant cannot pass. Press Authorize (rpa-host authorize) "
                  "once to sign in interactively; later connects then sign in silently with the "
                  "stored refresh token and need no password (" +
                  said + ")");
   if (has_code(error, {65001}))
      return fail("authentication failed: nobody has consented to the app \"" + settings.client_id +
                  "\" using this mailbox. Press Authorize (rpa-host authorize) to consent as " + who +
                  ", or ask an administrator to grant admin consent for the app in the tenant (" + said +
                  ")");
   if (has_code(error, {50126}))
      return fail("authentication failed: wrong username or password for " + who + " (" + where +
                  " said: " + said + ")");
   if (has_code(error, {700016}))
      return fail("authentication failed: client_id \"" + settings.client_id +
                  "\" names no application "
                  "registered in tenant \"" +
                  settings.tenant + "\"; check client_id and tenant_id (" + said + ")");
   if (has_code(error, {90002, 90023}))
      return fail("authentication failed: tenant_id \"" + settings.tenant + "\" is not a tenant known to " +
                  settings.authority + "; check tenant_id, and authority for national clouds (" + said + ")");
   if (has_code(error, {700027}))
      return fail("authentication failed: app \"" + settings.client_id +
                  "\" does not accept the certificate in client_certificate: upload that certificate "
                  "(the public part) to the app registration's Certificates & secrets, or give the "
                  "certificate registered there (" +
                  said + ")");
   if (has_code(error, {700024}))
      return fail("authentication failed: " + where +
                  " says the client assertion is not within its valid time range; check this "
                  "machine's clock (" +
                  said + ")");
   if (has_code(error, {7000215, 7000222, 7000218}))
      return fail("authentication failed: the client_secret is wrong or expired for app \"" +
                  settings.client_id + "\" (" + said + ")");
   if (grant == TokenGrant::refresh_token &&
       (error.error == "invalid_grant" || has_code(error, {700082, 70000, 50173, 70008})))
      return fail("authentication failed: the stored sign-in of " + who +
                  " has expired or was revoked; "
                  "press Authorize (rpa-host authorize) to sign in again (" +
                  said + ")");
   if (error.error == "invalid_client")
      return fail("authentication failed: " + where + " does not accept the app \"" + settings.client_id +
                  "\" as configured (" + said + ")");
   return fail("authentication failed: " + where + " refused the " + to_string(grant) + " for " + who + " (" +
               said + ")");
}

}  // namespace email
