// BearerAuthorizer: OAuth2 access tokens as the Authorizer of an HTTP service
// (http/request_pipeline.h): a token from the token broker (cached until near its expiry), and,
// when the service refuses it as perhaps stale (revoked, expired early), one fresh token per call
// (the rule of oauth/token_refresh.h).
#pragma once

#include <string>

#include "http/request_pipeline.h"
#include "oauth/oauth_settings.h"

namespace email {

class BearerAuthorizer final : public Authorizer {
 public:
   // `identity` reaches the token endpoint; `service` names the server in the log ("EWS").
   BearerAuthorizer(const OAuthSettings &settings, HttpsClient &identity, std::string service)
       : settings_(settings), identity_(identity), service_(std::move(service)) {}
   HttpResponse send(HttpRequest &request, const HttpSend &deliver, CallContext &context) override;
   bool renew(CallContext &context) override;

 private:
   const OAuthSettings &settings_;
   HttpsClient &identity_;
   std::string service_;
};

}  // namespace email
