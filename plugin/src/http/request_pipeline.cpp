#include "http/request_pipeline.h"

#include <algorithm>

#include "http/retry_after.h"
#include "util/failure.h"

namespace email {

HttpResponse FixedAuthorizer::send(HttpRequest &request, const HttpSend &deliver, CallContext &) {
   request.authorization = authorization_.clone();
   return deliver(request);
}

std::optional<Throttled> http_throttling(const HttpResponse &answer, int attempt) {
   if (answer.status != 429 && answer.status != 503) return std::nullopt;
   const std::optional<std::chrono::seconds> asked = parse_retry_after(answer.header("retry-after"));
   const long long seconds = asked ? asked->count() : (1LL << std::min(attempt, 6));
   Throttled throttled;
   throttled.wait = std::chrono::milliseconds(std::max(1LL, seconds) * 1000);
   throttled.asked = asked.has_value();
   throttled.what = "is throttling (HTTP " + std::to_string(answer.status) + ")";
   return throttled;
}

HttpResponse send_request(const std::function<HttpRequest()> &make, Authorizer &authorizer,
                          const HttpSend &deliver, const RequestRules &rules, CallContext &context) {
   bool renewed = false;
   std::string last;  // what the last throttling answer said
   // A renewed credential is no attempt: attempts count the throttled answers.
   for (int attempt = 0; attempt < rules.max_attempts;) {
      HttpRequest request = make();
      HttpResponse answer = authorizer.send(request, deliver, context);
      std::optional<Throttled> later;
      try {
         later = rules.judge(answer, attempt);
      } catch (const TokenRefused &) {
         if (renewed || !authorizer.renew(context)) throw;
         renewed = true;
         continue;
      }
      if (!later) return answer;
      const long long ms = later->wait.count();
      if (later->wait >= context.remaining())
         throw Failure(RPA_THROTTLED,
                       rules.server + " " + later->what +
                           (later->asked ? " and asked to wait " : " and the next try would be in ") +
                           std::to_string(ms) + " ms, which does not fit in timeout_seconds; retry after " +
                           std::to_string(ms) + " ms or raise timeout_seconds");
      context.host().warning(rules.server + " " + later->what + "; retrying in " + std::to_string(ms) +
                             " ms" + (later->asked ? " as it asked" : ""));
      context.pause(later->wait, "the server to accept requests again");
      last = later->what;
      ++attempt;
   }
   throw Failure(RPA_THROTTLED, rules.server + " " + last + " still, after " +
                                    std::to_string(rules.max_attempts) + " attempts; retry later");
}

}  // namespace email
