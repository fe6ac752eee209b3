// Token endpoint answers: a 200 body read as a token, and error bodies (Entra's error_codes,
// Google's errors, HTML from a proxy) read into a Failure.
#include "fuzz_host.h"
#include "oauth/token_client.h"
#include "util/failure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   email::OAuthSettings settings;
   settings.tenant = "contoso.onmicrosoft.com";
   settings.client_id = "client";
   settings.username = "john@contoso.com";
   std::string body = fuzz::text_of(data, size);
   (void)email::token_endpoint_failure(400, body, settings, email::TokenGrant::refresh_token);
   try {
      (void)email::read_token_response(body, settings, email::TokenGrant::password);
   } catch (const email::Failure &) {}
   return 0;
}
