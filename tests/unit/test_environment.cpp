// environment_variable (util/environment.h): variables as UTF-8 on both systems. On Windows the
// environment is UTF-16 and the C runtime's getenv would give a Japanese value in the ANSI code page.
#include <doctest/doctest.h>

#include <string>

#include "environment.h"
#include "util/environment.h"

using email::environment_variable;

TEST_CASE("environment_variable: a UTF-8 value arrives whole") {
   const std::string value = "http://proxy.example:8080/金庫-é";
   test::ScopedEnvironment variable("RPA_TEST_UTF8_VALUE", value);
   const auto read = environment_variable("RPA_TEST_UTF8_VALUE");
   REQUIRE(read.has_value());
   CHECK(*read == value);
}

TEST_CASE("environment_variable: an unset variable is nullopt, not an empty string") {
   {
      test::ScopedEnvironment variable("RPA_TEST_UNSET_VALUE", "set for a moment");
      REQUIRE(environment_variable("RPA_TEST_UNSET_VALUE").has_value());
   }
   CHECK_FALSE(environment_variable("RPA_TEST_UNSET_VALUE").has_value());
}

TEST_CASE("environment_variable: a plain ASCII value is the same on both systems") {
   test::ScopedEnvironment variable("RPA_TEST_ASCII_VALUE", std::string("127.0.0.1:5353"));
   CHECK(environment_variable("RPA_TEST_ASCII_VALUE").value_or("") == "127.0.0.1:5353");
}
