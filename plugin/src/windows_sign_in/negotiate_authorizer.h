// NegotiateAuthorizer: Windows sign-in (windows_sign_in.h) as the Authorizer of an HTTP service
// (http/request_pipeline.h): every request is one exchange (Negotiate with Kerberos: one leg, a
// fresh authenticator each time, since a repeated one is a replay; NTLM: its legs answered on one
// connection of the HttpsClient's own, since cpprestsdk's pool may hand the next leg another one).
//
// - A server whose answer offers NTLM and not Negotiate gets NTLM with the password, as Windows'
//   Negotiate does (the ticket cache has nothing for NTLM); the log says so.
// - NTLM on the connection the server already let us in on sends no exchange (IIS keeps a
//   connection signed in unless authPersistSingleRequest is set: its three legs would be two
//   extra round trips per request); a 401 there starts one, and a server that forgets the
//   sign-in on the same connection gets an exchange for every request from then on.
// - Mutual authentication: a 2xx answer's token is checked (Kerberos).
//
// Not thread-safe (one per client; the session serialises calls).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "http/request_pipeline.h"
#include "windows_sign_in/windows_sign_in.h"

namespace email {

class NegotiateAuthorizer final : public Authorizer {
 public:
   // `http` is the client whose one connection NTLM's legs use; `server_host` the service's host;
   // `service` names it in the log ("EWS").
   NegotiateAuthorizer(std::unique_ptr<WindowsSignIn> sign_in, const HttpsClient &http,
                       std::string server_host, std::string service)
       : sign_in_(std::move(sign_in)),
         http_(http),
         host_(std::move(server_host)),
         service_(std::move(service)) {}

   HttpResponse send(HttpRequest &request, const HttpSend &deliver, CallContext &context) override;

   // The sign-in in use now (NTLM after a fallback), for messages and the session's facts.
   const WindowsSignIn &sign_in() const { return *sign_in_; }

 private:
   // One exchange (all legs), or none on the connection NTLM already signed in.
   HttpResponse exchange(HttpRequest &request, const SecretString &body, const HttpSend &deliver,
                         CallContext &context);

   std::unique_ptr<WindowsSignIn> sign_in_;
   const HttpsClient &http_;
   std::string host_, service_;
   // NTLM: the connection (HttpsClient::one_connection_serial) the server last let us in on.
   std::uint64_t signed_in_connection_ = 0;
   bool kept_per_connection_ = true;  // false for good once the server shows it keeps none
};

}  // namespace email
