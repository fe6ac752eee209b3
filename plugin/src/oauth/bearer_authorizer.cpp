#include "oauth/bearer_authorizer.h"

#include "oauth/token_broker.h"
#include "util/authorization.h"

namespace email {

HttpResponse BearerAuthorizer::send(HttpRequest &request, const HttpSend &deliver, CallContext &context) {
   request.authorization =
       bearer_authorization(TokenBroker::access_token(settings_, identity_, context).view());
   return deliver(request);
}

bool BearerAuthorizer::renew(CallContext &context) {
   context.host().info(service_ + ": the server refused the access token; getting a fresh one");
   TokenBroker::forget(settings_);
   return true;
}

}  // namespace email
