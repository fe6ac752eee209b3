// The one way every HTTP service of the plugin (EWS, Microsoft Graph) sends a request, as the
// Graph SDKs' handler chain does: an Authorizer signs it in, the service judges the answer
// (its error table), throttling is waited out (never past the call's deadline), and a credential
// the service calls stale (TokenRefused) is renewed once; then `deliver` sends it again.
//
//   send_request(make, authorizer, deliver, rules, context)
//      attempt: request = make(); answer = authorizer.send(request, deliver)
//               rules.judge(answer): throws Failure      -> the call's error (its own message)
//                                    throws TokenRefused -> authorizer.renew(), once, else thrown
//                                    returns Throttled   -> wait (as asked) and try again
//                                    returns nullopt     -> the answer, taken
//
// Messages: "<server> is busy (ErrorServerBusy); retrying in 300 ms as it asked" (a warning);
// throttled "<server> is busy (ErrorServerBusy) and asked to wait 30000 ms, which does not fit
// in timeout_seconds; retry after 30000 ms or raise timeout_seconds".
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "http/https_client.h"
#include "net/call_context.h"

namespace email {

// An answer that asks to be tried again later (HTTP 429 and 503, EWS's ErrorServerBusy).
struct Throttled {
   std::chrono::milliseconds wait{1000};
   bool asked = false;  // the server named the wait (Retry-After, BackOffMilliseconds)
   std::string what;    // after the server's name: "is throttling (HTTP 429)", "is busy (ErrorServerBusy)"
};

// Delivers one request as it is (HttpsClient::send, perhaps within a limit of requests in flight).
using HttpSend = std::function<HttpResponse(const HttpRequest &request)>;

// Signs requests in. Not thread-safe (a client's calls are serialised by its session).
class Authorizer {
 public:
   virtual ~Authorizer() = default;
   // Signs `request` in and sends it; an exchange of several legs where the scheme has them
   // (NTLM). Returns the last answer.
   virtual HttpResponse send(HttpRequest &request, const HttpSend &deliver, CallContext &context) = 0;
   // The service refused the credential as perhaps stale: whether a fresh one is ready now.
   virtual bool renew(CallContext &context) {
      (void)context;
      return false;
   }
};

// An Authorization value that never changes (Basic), or none (empty).
class FixedAuthorizer final : public Authorizer {
 public:
   explicit FixedAuthorizer(SecretString authorization) : authorization_(std::move(authorization)) {}
   HttpResponse send(HttpRequest &request, const HttpSend &deliver, CallContext &context) override;

 private:
   SecretString authorization_;
};

struct RequestRules {
   std::string server;  // "host:port", for messages
   int max_attempts = 20;
   // The service's error table: throws the Failure (TokenRefused when a fresh credential may
   // help) a final answer stands for, returns Throttled to try again later, nullopt to take it.
   // `attempt` counts from 0 (for a back-off of its own when the server names no wait).
   std::function<std::optional<Throttled>(HttpResponse &answer, int attempt)> judge;
};

// Sends the request `make` builds (anew for each attempt) until the service takes an answer, and
// returns that answer. Throws Failure.
HttpResponse send_request(const std::function<HttpRequest()> &make, Authorizer &authorizer,
                          const HttpSend &deliver, const RequestRules &rules, CallContext &context);

// The wait an HTTP 429 or 503 asks for (Retry-After as seconds or an HTTP date), else 2^attempt
// seconds (up to 64); nullopt for any other status.
std::optional<Throttled> http_throttling(const HttpResponse &answer, int attempt);

}  // namespace email
