// Microsoft Graph's JSON batching (learn.microsoft.com/graph/json-batching), free of I/O (a fuzz
// target feeds the reader hostile bytes): several GETs in one POST to /v1.0/$batch, so that a
// listing which needs several lookups waits for one round trip instead of one each.
//
//   const std::string body = graph::batch_request_body({"/me/mailFolders/inbox?$select=id", ...},
//                                                      {{"Prefer", "IdType=\"ImmutableId\""}});
//   // POST it; then, from the 200 answer:
//   for (const graph::BatchAnswer &answer : graph::parse_batch_answers(reply, urls.size())) ...
//
// The requests get the ids "1", "2", ... in order; Graph may answer them in any order, so each
// answer names the index of its request. Graph runs a batch's requests at the same time, and
// Outlook allows 4 in flight per mailbox: callers send at most 4 per batch (GraphClient::get_each).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace email::graph {

// GET requests of `urls` (each relative to the version: "/me/...", "/users/..."), every one
// with `headers`, as a batch's JSON body.
std::string batch_request_body(const std::vector<std::string> &urls,
                               const std::vector<std::pair<std::string, std::string>> &headers);

struct BatchAnswer {
   std::size_t index = 0;                       // of the request in the batch, from 0
   int status = 0;                              // its HTTP status
   std::map<std::string, std::string> headers;  // names in lower case (Retry-After, ...)
   std::string body;  // a JSON body as JSON text; a string body (base64 for non-JSON) as it is
};

// The answers of a batch of `count` requests. Throws std::invalid_argument when `body` is not a
// batch answer ({"responses": [...]}). An answer with an id that is not one of the batch's, a
// second answer for one request, or one without a numeric status is skipped: the caller asks
// again for every request left unanswered.
std::vector<BatchAnswer> parse_batch_answers(const std::string &body, std::size_t count);

}  // namespace email::graph
