#include <doctest/doctest.h>

#include "util/secret.h"

using namespace email;

TEST_SUITE("secret") {

TEST_CASE("clear() wipes the bytes in place") {
   SecretString secret("hunter2");
   const char *data = secret.data();
   std::size_t capacity = secret.capacity();
   secret.clear();
   CHECK(secret.empty());
   CHECK(secret.capacity() == capacity);
   for (std::size_t i = 0; i < capacity; ++i) CHECK(data[i] == '\0');
}

TEST_CASE("moving transfers ownership and empties the source") {
   SecretString a("value");
   SecretString b = std::move(a);
   CHECK(b.view() == "value");
   CHECK(a.empty());  // NOLINT(bugprone-use-after-move): documented state
   SecretString c;
   c = std::move(b);
   CHECK(c.view() == "value");
   CHECK(c.clone().view() == "value");
}

TEST_CASE("reserve keeps the content and append grows") {
   SecretString s;
   s.append("ab");
   s.reserve(100);
   s.append('c');
   CHECK(s.view() == "abc");
   CHECK_THROWS(s.resize_within_capacity(1000));
}

TEST_CASE("base64 round trips - including binary and padding") {
   for (std::string input : {std::string(""), std::string("f"), std::string("fo"), std::string("foo"),
                             std::string("\0\xff\x10", 3)}) {
      SecretString encoded = base64_encode(input);
      auto decoded = base64_decode(encoded.view());
      REQUIRE(decoded);
      CHECK(decoded->view() == input);
   }
   CHECK(base64_encode("foobar").view() == "Zm9vYmFy");
   CHECK_FALSE(base64_decode("abc"));
   CHECK_FALSE(base64_decode("a!c="));
}

TEST_CASE("redact replaces every occurrence of every secret") {
   CHECK(redact("user alice pass s3cret s3cret", {"s3cret", "alice"}) == "user **** pass **** ****");
   CHECK(redact("nothing here", {"", "x1"}) == "nothing here");
}

TEST_CASE("redact does not search for one- or two-character secrets - the stars would reveal them") {
   CHECK(redact("nope", {"p"}) == "nope");
   CHECK(redact("no password here", {"pa"}) == "no password here");
   CHECK(redact("wrong pin abc for bob", {"abc"}) == "wrong pin **** for bob");
}

}  // TEST_SUITE("secret")
