#include "windows_sign_in/negotiate_authorizer.h"

#include "http/www_authenticate.h"

namespace email {

HttpResponse NegotiateAuthorizer::send(HttpRequest &request, const HttpSend &deliver, CallContext &context) {
   const SecretString body = request.body.clone();  // each leg sends it again
   HttpResponse answer = exchange(request, body, deliver, context);
   const std::string offered = answer.header("www-authenticate");
   if (answer.status == 401 && !sign_in_->multi_leg() && offers_scheme(offered, "NTLM") &&
       !offers_scheme(offered, "Negotiate")) {
      if (std::unique_ptr<WindowsSignIn> ntlm = sign_in_->with_ntlm(host_, context)) {
         context.host().info(service_ + ": " + host_ +
                             " offers NTLM and not Negotiate; signing in with NTLM");
         sign_in_ = std::move(ntlm);
         context.host().debug(service_ + ": " + sign_in_->description());
         request.body = body.clone();
         answer = exchange(request, body, deliver, context);
      }
   }
   if (answer.status >= 200 && answer.status < 300)  // mutual authentication
      sign_in_->answer(answer.header("www-authenticate"), context);
   return answer;
}

HttpResponse NegotiateAuthorizer::exchange(HttpRequest &request, const SecretString &body,
                                           const HttpSend &deliver, CallContext &context) {
   request.one_connection = sign_in_->multi_leg();
   bool on_signed_in = request.one_connection && !request.own_connection && kept_per_connection_ &&
                       signed_in_connection_ != 0 && signed_in_connection_ == http_.one_connection_serial();
   request.authorization = on_signed_in ? SecretString() : sign_in_->start(context);
   HttpResponse answer = deliver(request);
   if (on_signed_in && answer.status == 401) {
      // Did the server forget us on the same connection? Then it does not keep sign-ins.
      if (http_.one_connection_serial() == signed_in_connection_) {
         kept_per_connection_ = false;
         context.host().debug(service_ +
                              ": the server does not keep NTLM sign-ins for the connection; signing in for "
                              "every request");
      }
      signed_in_connection_ = 0;
      on_signed_in = false;
      request.authorization = sign_in_->start(context);
      request.body = body.clone();
      answer = deliver(request);
   }
   // More legs (NTLM): the server's challenge answered on the same connection.
   for (int leg = 0; answer.status == 401 && leg < 3; ++leg) {
      SecretString next = sign_in_->answer(answer.header("www-authenticate"), context);
      if (next.empty()) break;
      request.authorization = std::move(next);
      request.body = body.clone();
      answer = deliver(request);
   }
   if (on_signed_in && answer.status != 401)
      context.host().debug(service_ + ": " + request.method + " on the connection NTLM signed in");
   if (request.one_connection && !request.own_connection && answer.status != 401)
      signed_in_connection_ = http_.one_connection_serial();
   return answer;
}

}  // namespace email
