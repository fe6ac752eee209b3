// The OAuth2 module's pure parts: PKCE (RFC 7636's own example), form encoding, the mapping of
// Entra's documented error bodies, scopes and the vault key.
#include <doctest/doctest.h>

#include <chrono>

#include "oauth/form_encoding.h"
#include "oauth/pkce.h"
#include "oauth/token_broker.h"
#include "oauth/token_client.h"
#include "oauth/token_errors.h"

using namespace email;

namespace {
OAuthSettings contoso() {
   OAuthSettings settings;
   settings.tenant = "contoso.onmicrosoft.com";
   settings.client_id = "0d6f1a8e-4a5b-4c1e-9f3a-5c2b7e8d9a01";
   settings.username = "john@contoso.com";
   return settings;
}

std::string entra_body(long code, const std::string &error = "invalid_grant") {
   return R"({"error":")" + error + R"(","error_description":"AADSTS)" + std::to_string(code) +
          R"(: Something happened.\r\nTrace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2026-11-29 10:00:00Z","error_codes":[)" +
          std::to_string(code) + R"(],"timestamp":"2026-11-29 10:00:00Z"})";
}

bool has(const std::string &text, const std::string &fragment) {
   return text.find(fragment) != std::string::npos;
}
}  // namespace

TEST_SUITE("oauth") {

TEST_CASE("PKCE S256 matches RFC 7636 appendix B") {
   CHECK(pkce_s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
         "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("random URL tokens are base64url and differ") {
   SecretString a = random_url_token(48), b = random_url_token(48);
   CHECK(a.size() == 64);
   CHECK(a.view() != b.view());
   CHECK(std::string(a.view()).find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
}

TEST_CASE("form fields are percent-encoded") {
   SecretString form;
   append_form_field(form, "username", "john+x@contoso.com");
   append_form_field(form, "password", "p&ss w=rd/ü");
   CHECK(form.view() == "username=john%2Bx%40contoso.com&password=p%26ss%20w%3Drd%2F%C3%BC");
   CHECK(url_encode("http://localhost:5/") == "http%3A%2F%2Flocalhost%3A5%2F");
}

TEST_CASE("Entra error codes get messages that say what to do") {
   const OAuthSettings settings = contoso();
   struct Case {
      long code;
      TokenGrant grant;
      const char *expected;
   };
   const Case cases[] = {
       {50076, TokenGrant::password,
        "requires multi-factor authentication for \"john@contoso.com\", which the password grant cannot "
        "pass. Press Authorize"},
       {50079, TokenGrant::password, "multi-factor"},
       {65001, TokenGrant::password, "ask an administrator to grant admin consent"},
       {50126, TokenGrant::password, "wrong username or password for \"john@contoso.com\""},
       {700016, TokenGrant::password,
        "client_id \"0d6f1a8e-4a5b-4c1e-9f3a-5c2b7e8d9a01\" names no application registered in tenant "
        "\"contoso.onmicrosoft.com\""},
       {90002, TokenGrant::password,
        "tenant_id \"contoso.onmicrosoft.com\" is not a tenant known to https://login.microsoftonline.com"},
       {7000215, TokenGrant::client_credentials, "the client_secret is wrong or expired"},
       {700082, TokenGrant::refresh_token,
        "the stored sign-in of \"john@contoso.com\" has expired or was revoked; press Authorize"},
       {12345, TokenGrant::password,
        "refused the password grant for \"john@contoso.com\" (invalid_grant: AADSTS12345: Something "
        "happened.)"},
   };
   for (const Case &c : cases) {
      CAPTURE(c.code);
      Failure failure = token_endpoint_failure(400, entra_body(c.code), settings, c.grant);
      CHECK(failure.status() == RPA_AUTHENTICATION_FAILED);
      CHECK(has(failure.what(), c.expected));
      CHECK_FALSE(has(failure.what(), "Trace ID"));  // only the first line of the description
   }
}

TEST_CASE("a token endpoint answer that is not JSON still says something useful") {
   Failure failure = token_endpoint_failure(502, "<html>Bad gateway</html>", contoso(), TokenGrant::password);
   CHECK(failure.status() == RPA_AUTHENTICATION_FAILED);
   CHECK(has(failure.what(), "HTTP 502"));
}

TEST_CASE("Microsoft scopes per service and flow") {
   CHECK(microsoft_scope(OAuthFlow::delegated, "https://outlook.office365.com", "EWS") ==
         "https://outlook.office365.com/EWS.AccessAsUser.All offline_access");
   CHECK(microsoft_scope(OAuthFlow::delegated, "https://outlook.office365.com", "IMAP") ==
         "https://outlook.office365.com/IMAP.AccessAsUser.All offline_access");
   CHECK(microsoft_scope(OAuthFlow::app_only, "https://outlook.office365.com", "EWS") ==
         "https://outlook.office365.com/.default");
}

TEST_CASE("endpoints follow the authority and tenant") {
   OAuthSettings settings = contoso();
   settings.authority = "https://login.microsoftonline.us";
   CHECK(settings.token_url() ==
         "https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token");
   CHECK(settings.authorize_url() ==
         "https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
   settings.provider = OAuthProvider::google;
   CHECK(settings.token_url() == "https://oauth2.googleapis.com/token");
}

TEST_CASE("the refresh token's vault key depends on authority tenant client and user only") {
   OAuthSettings a = contoso();
   OAuthSettings b = contoso();
   b.scope = "https://outlook.office365.com/IMAP.AccessAsUser.All offline_access";
   b.username = "JOHN@contoso.com";
   b.password = SecretString("whatever");
   CHECK(TokenBroker::refresh_token_ref(a).name == TokenBroker::refresh_token_ref(b).name);
   CHECK(TokenBroker::refresh_token_ref(a).locker == "rpa.email.oauth2");
   CHECK(TokenBroker::refresh_token_ref(a).name.size() ==
         64);  // sha-256 hex: no user name in the vault's index
   b.client_id = "other";
   CHECK(TokenBroker::refresh_token_ref(a).name != TokenBroker::refresh_token_ref(b).name);
   b = contoso();
   b.authority = "https://login.microsoftonline.us";
   CHECK(TokenBroker::refresh_token_ref(a).name != TokenBroker::refresh_token_ref(b).name);
}

TEST_CASE("cached tokens are keyed by the secrets too") {
   OAuthSettings a = contoso();
   OAuthSettings b = contoso();
   b.client_secret = SecretString("another secret");
   CHECK(a.identity_key() != b.identity_key());
   CHECK(b.identity_key().find("another secret") == std::string::npos);
}

}  // TEST_SUITE("oauth")

TEST_CASE("a token's lifetime is what the server says, within 0 and one day - however large the number") {
   OAuthSettings settings;
   settings.tenant = "contoso.onmicrosoft.com";
   auto kept_seconds = [&](const std::string &expires_in) {
      std::string body = R"({"access_token":"t","token_type":"Bearer","expires_in":)" + expires_in + "}";
      const auto before = std::chrono::steady_clock::now();
      const AccessToken token = read_token_response(body, settings, TokenGrant::password);
      return std::chrono::duration_cast<std::chrono::seconds>(token.expires_at - before).count();
   };
   CHECK(kept_seconds("3599") >= 3598);
   CHECK(kept_seconds("3599") <= 3600);
   CHECK(kept_seconds("\"4000\"") >= 3999);  // quoted, as some servers send it
   // Found by the token_response fuzz target: seconds past what steady_clock's nanoseconds hold
   // overflowed (undefined behaviour) instead of being refused or bounded.
   CHECK(kept_seconds("71944444444444446") <= 86400);
   CHECK(kept_seconds("71944444444444446") >= 86399);
   CHECK(kept_seconds("\"99999999999999999999999\"") <= 86400);
   CHECK(kept_seconds("-5") <= 0);
   CHECK(token_lifetime_kept(-1) == 0);
   CHECK(token_lifetime_kept(9223372036854775807LL) == 86400);
}
