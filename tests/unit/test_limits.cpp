// Bounded parsing: JSON nested past kMaxJsonDepth is a clear error wherever JSON is read, never a
// stack overflow; schema checks run on a thread with a 256 KiB stack; names and passwords that
// could forge log lines or break a protocol are refused.
#include <doctest/doctest.h>
#include <pthread.h>

#include <functional>
#include <string>

#include "embedded_schemas.h"
#include "json_bag.h"
#include "oauth/token_errors.h"
#include "properties/action_schema.h"
#include "properties/connect_request.h"
#include "rpa_common/json.h"
#include "test_host.h"
#include "util/failure.h"

using test::JsonBag;

namespace {

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }
std::string nested_objects(std::size_t depth) {
   std::string text;
   for (std::size_t i = 0; i < depth; ++i) text += "{\"a\":";
   text += "1";
   return text + std::string(depth, '}');
}

// Runs `work` on a new thread whose stack is `stack_bytes`, and waits for it.
void run_on_small_stack(std::size_t stack_bytes, std::function<void()> work) {
   pthread_attr_t attributes;
   pthread_attr_init(&attributes);
   REQUIRE(pthread_attr_setstacksize(&attributes, stack_bytes) == 0);
   pthread_t thread;
   auto trampoline = [](void *argument) -> void * {
      (*static_cast<std::function<void()> *>(argument))();
      return nullptr;
   };
   REQUIRE(pthread_create(&thread, &attributes, trampoline, &work) == 0);
   pthread_join(thread, nullptr);
   pthread_attr_destroy(&attributes);
}

}  // namespace

TEST_SUITE("limits") {

TEST_CASE("parse_json takes 64 levels and refuses the 65th with a clear error") {
   rapidjson::Document document;
   CHECK(rpa::parse_json(document, nested_arrays(64)).ok);
   auto deeper = rpa::parse_json(document, nested_arrays(65));
   CHECK_FALSE(deeper.ok);
   CHECK(deeper.too_deep);
   CHECK(deeper.message() == "nested deeper than 64 levels at byte 64");
   CHECK(document.IsNull());
   auto broken = rpa::parse_json(document, std::string("{\"a\":"));
   CHECK_FALSE(broken.ok);
   CHECK_FALSE(broken.too_deep);
}

TEST_CASE("300 000 levels of arrays or objects are refused - not a stack overflow") {
   rpa::SecretDocument secret;
   CHECK(rpa::parse_json(secret, nested_arrays(300000)).too_deep);
   CHECK(rpa::parse_json(secret, nested_objects(300000)).too_deep);
   CHECK(rpa::parse_json(secret, std::string(300000, '[')).too_deep);
}

TEST_CASE("a property bag nested 60 000 deep is invalid_properties") {
   const std::string bag = "{\"connection\":\"email_server\",\"host\":" + nested_arrays(60000) + "}";
   email::SecretDocument document;
   try {
      email::parse_property_bag(bag.data(), bag.size(), document);
      FAIL("accepted");
   } catch (const email::Failure &failure) {
      CHECK(failure.status() == RPA_INVALID_PROPERTIES);
      CHECK(std::string(failure.what()).find("nested deeper than 64 levels") != std::string::npos);
   }
}

TEST_CASE("a token endpoint error body of 100 000 opening brackets is read as a plain error") {
   email::OAuthSettings settings;
   settings.tenant = "contoso.onmicrosoft.com";
   settings.client_id = "client";
   settings.username = "john@contoso.com";
   email::Failure failure =
       email::token_endpoint_failure(400, std::string(100000, '['), settings, email::TokenGrant::password);
   CHECK(failure.status() != RPA_OK);
}

TEST_CASE("schema patterns are checked on a 256 KiB stack - long values too") {
   test::TestHost host;
   const std::string long_url = "https://" + std::string(2000, 'a') + ".example.com/EWS/Exchange.asmx";
   rpa_host::ActionOutcome valid, invalid;
   run_on_small_stack(256 * 1024, [&] {
      JsonBag bag;
      bag.set("connection", "outlook")
          .set("authority", "https://" + std::string(2000, 'b') + ".example.com")
          .set("ews_url", long_url);
      valid = host.run("Email.Connect", bag.str());  // passes the schema: outlook is unsupported here
      JsonBag bad;
      bad.set("connection", "outlook")
          .set("authority", "https://" + std::string(2000, 'b') + " .example.com");
      invalid = host.run("Email.Connect", bad.str());
   });
   CHECK(valid.status == RPA_UNSUPPORTED);
   CHECK(invalid.status == RPA_INVALID_PROPERTIES);
   CHECK(invalid.message.find("authority must be an https:// URL") != std::string::npos);
}

TEST_CASE("patterns sit on top-level properties only - RE2 checks those") {
   rapidjson::Document schema;
   REQUIRE(rpa::parse_json(schema, std::string(email::embedded::connect_schema)).ok);
   std::function<int(const rapidjson::Value &, int)> count = [&](const rapidjson::Value &value, int level) {
      int found = 0;
      if (value.IsObject())
         for (auto &member : value.GetObject()) {
            if (std::string(member.name.GetString()) == "pattern" && level != 2) ++found;
            found += count(member.value, level + 1);
         }
      if (value.IsArray())
         for (auto &item : value.GetArray()) found += count(item, level + 1);
      return found;
   };
   CHECK(count(schema, 0) == 0);
   CHECK(schema["properties"]["host"].HasMember("pattern"));
}

}  // TEST_SUITE("limits")
