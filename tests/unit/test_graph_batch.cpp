// Microsoft Graph's JSON batching, free of I/O (graph/json_batch.h): the request body, and
// answers matched by id whatever their order, with look-alikes skipped.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <stdexcept>

#include "graph/json_batch.h"

using email::graph::batch_request_body;
using email::graph::parse_batch_answers;

TEST_CASE("A Graph JSON batch names its GETs 1, 2, ... with the headers each carries") {
   const std::string body = batch_request_body({"/me/mailFolders/inbox?$select=id", "/users/a%40b/x"},
                                               {{"Prefer", "IdType=\"ImmutableId\""}});
   rapidjson::Document document;
   document.Parse(body.c_str());
   REQUIRE(document.IsObject());
   const auto &requests = document["requests"];
   REQUIRE(requests.Size() == 2);
   CHECK(std::string(requests[0]["id"].GetString()) == "1");
   CHECK(std::string(requests[1]["id"].GetString()) == "2");
   CHECK(std::string(requests[0]["method"].GetString()) == "GET");
   CHECK(std::string(requests[1]["url"].GetString()) == "/users/a%40b/x");
   CHECK(std::string(requests[1]["headers"]["Prefer"].GetString()) == "IdType=\"ImmutableId\"");
}

TEST_CASE("A Graph batch's answers are matched to their requests by id, in any order") {
   const auto answers = parse_batch_answers(
       R"({"responses":[{"id":"3","status":404,"headers":{"Content-Type":"application/json"},)"
       R"("body":{"error":{"code":"ErrorItemNotFound","message":"gone"}}},)"
       R"({"id":"1","status":200,"body":{"id":"AAMk"}},)"
       R"({"id":"2","status":429,"headers":{"Retry-After":"3"}}]})",
       3);
   REQUIRE(answers.size() == 3);
   CHECK(answers[0].index == 2);
   CHECK(answers[0].status == 404);
   CHECK(answers[0].headers.at("content-type") == "application/json");
   CHECK(answers[0].body.find("ErrorItemNotFound") != std::string::npos);
   CHECK(answers[1].index == 0);
   CHECK(answers[1].body == R"({"id":"AAMk"})");
   CHECK(answers[2].index == 1);
   CHECK(answers[2].headers.at("retry-after") == "3");
   CHECK(answers[2].body.empty());
}

TEST_CASE("A Graph batch answer that is not one is refused; look-alike entries are skipped") {
   CHECK_THROWS_AS(parse_batch_answers("", 2), std::invalid_argument);
   CHECK_THROWS_AS(parse_batch_answers(R"({"value":[]})", 2), std::invalid_argument);
   CHECK_THROWS_AS(parse_batch_answers(R"({"responses":{}})", 2), std::invalid_argument);
   // Ids outside the batch, "01", a second answer for one request, no status or a status that is
   // not a number: each left for the caller to ask again.
   const auto answers = parse_batch_answers(
       R"({"responses":[{"id":"3","status":200},{"id":"0","status":200},{"id":"01","status":200},)"
       R"({"id":"2","status":"200"},{"id":"2"},{"id":1,"status":200},{"id":"1","status":200,"body":"aGk="},)"
       R"({"id":"1","status":500},7]})",
       2);
   REQUIRE(answers.size() == 1);
   CHECK(answers[0].index == 0);
   CHECK(answers[0].status == 200);
   CHECK(answers[0].body == "aGk=");
}
