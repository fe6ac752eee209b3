// GraphClient::get_each: several GETs in JSON batches (graph/json_batch.h).
#include <algorithm>
#include <stdexcept>

#include "graph/graph_client.h"
#include "graph/graph_json.h"
#include "graph/json_batch.h"
#include "graph/mailbox_request_slot.h"
#include "util/failure.h"

namespace email {

namespace {

// Whether a Failure says something about every request of the call (a refused token, a timeout,
// a cancellation, a connection or TLS failure, throttling past the timeout): it ends the call.
// Any other Failure of the batch request itself only says that this server takes no batches, and
// one of a request in it is that request's outcome.
bool concerns_the_whole_call(rpa_status status) {
   switch (status) {
   case RPA_AUTHENTICATION_FAILED:
   case RPA_TIMEOUT:
   case RPA_CANCELLED:
   case RPA_CONNECTION_FAILED:
   case RPA_TLS_FAILED:
   case RPA_THROTTLED: return true;
   default: return false;
   }
}

}  // namespace

std::vector<GraphClient::Fetched> GraphClient::get_each(const std::vector<Lookup> &lookups,
                                                        CallContext &context) {
   std::vector<Fetched> out(lookups.size());
   constexpr std::size_t kPerBatch = MailboxRequestSlot::kSlotsPerMailbox;
   for (std::size_t first = 0; first < lookups.size(); first += kPerBatch)
      get_batch(lookups, first, std::min(kPerBatch, lookups.size() - first), out, context);
   return out;
}

void GraphClient::get_batch(const std::vector<Lookup> &lookups, std::size_t first, std::size_t count,
                            std::vector<Fetched> &out, CallContext &context) {
   const char *what = lookups[first].what;  // the batch's own failures name its first request's
   std::vector<bool> answered(count, false);
   if (count > 1 && !batches_refused_) {
      const std::string version = settings_.graph_url + "/v1.0";
      std::vector<std::string> urls;
      for (std::size_t index = 0; index < count; ++index)
         urls.push_back(base_.substr(version.size()) + lookups[first + index].path);
      std::string reply;
      try {
         reply = exchange("POST", version + "/$batch", "application/json",
                          graph::batch_request_body(urls, {{"Prefer", "IdType=\"ImmutableId\""}}), context,
                          what, nullptr, static_cast<int>(count));
      } catch (const Failure &failure) {
         if (concerns_the_whole_call(failure.status())) throw;
         batches_refused_ = true;
         context.host().debug(std::string("Graph: the JSON batch was refused (") + failure.what() +
                              "); sending the requests one by one");
      }
      if (!batches_refused_) {
         std::vector<graph::BatchAnswer> answers;
         try {
            answers = graph::parse_batch_answers(reply, count);
         } catch (const std::invalid_argument &) {
            throw Failure(RPA_PROTOCOL_ERROR,
                          settings_.graph_url + " answered a JSON batch for " + what +
                              " with something that is not a batch's answer: " + graph::describe_body(reply));
         }
         for (graph::BatchAnswer &answer : answers) {
            Fetched &fetched = out[first + answer.index];
            if (answer.status >= 200 && answer.status < 300) {
               fetched.body = std::move(answer.body);
            } else if (answer.status == 429 || answer.status == 503) {
               continue;  // asked again on its own below, waiting as Retry-After says
            } else {
               HttpResponse response;
               response.status = answer.status;
               response.headers = std::move(answer.headers);
               response.body = std::move(answer.body);
               try {
                  fail(response, lookups[first + answer.index].what);
               } catch (const Failure &failure) {
                  if (concerns_the_whole_call(failure.status())) throw;
                  fetched.failure = std::current_exception();
               }
            }
            answered[answer.index] = true;
         }
      }
   }
   for (std::size_t index = 0; index < count; ++index) {
      if (answered[index]) continue;
      try {
         out[first + index].body = get(lookups[first + index].path, context, lookups[first + index].what);
      } catch (const Failure &failure) {
         if (concerns_the_whole_call(failure.status())) throw;
         out[first + index].failure = std::current_exception();
      }
   }
}

}  // namespace email
