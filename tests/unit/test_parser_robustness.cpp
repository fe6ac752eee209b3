// Whatever a server sends, the parsers answer or refuse with std::invalid_argument; they never
// crash or throw anything else. Random and mutated server lines, from a fixed seed.
#include <doctest/doctest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "imap/imap_response.h"
#include "pop3/pop3_response.h"

namespace {

const std::vector<std::string> kSeeds = {
    "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready",
    "A1 NO [AUTHENTICATIONFAILED] Authentication failed.",
    "* LIST (\\HasNoChildren) \"/\" INBOX",
    "(\\HasNoChildren \\Sent) \".\" \"Project \\\"X\\\"\"",
    "() \"/\" {7}\r\nab\r\ncd ",
    "() NIL &ZeVnLIqe-",
    "+ dXNlcg==",
    "+OK Dovecot ready.",
    "-ERR [AUTH] Authentication failed.",
    "* 23 EXISTS",
};

std::string mutate(std::string text, std::mt19937 &random) {
   std::uniform_int_distribution<int> kind(0, 3), byte(0, 255);
   const int edits = 1 + static_cast<int>(random() % 4);
   for (int i = 0; i < edits; ++i) {
      std::size_t at = text.empty() ? 0 : random() % text.size();
      switch (kind(random)) {
      case 0:
         if (!text.empty()) text[at] = static_cast<char>(byte(random));
         break;
      case 1: text.insert(at, 1, "{}()[]\"\\ &-+*"[random() % 13]); break;
      case 2:
         if (!text.empty()) text.erase(at, 1 + random() % 4);
         break;
      default: text = text.substr(0, at); break;
      }
   }
   return text;
}

template <typename Parse>
void survives(Parse parse, const std::string &input) {
   try {
      parse(input);
   } catch (const std::invalid_argument &) {
   } catch (const std::exception &error) {
      FAIL_CHECK("unexpected exception " << error.what() << " for input of " << input.size() << " bytes");
   }
}

}  // namespace

TEST_SUITE("imap") {
TEST_CASE("the IMAP and POP3 parsers survive random and mutated server lines") {
   std::mt19937 random(20261129);
   int inputs = 0;
   for (int round = 0; round < 4000; ++round) {
      for (const std::string &seed : kSeeds) {
         const std::string input = mutate(seed, random);
         survives([](const std::string &s) { email::imap::parse_response(s); }, input);
         survives([](const std::string &s) { email::imap::parse_list_data(s); }, input);
         survives([](const std::string &s) { email::imap::trailing_literal_size(s); }, input);
         survives([](const std::string &s) { email::imap::decode_modified_utf7(s); }, input);
         survives([](const std::string &s) { email::pop3::parse_reply(s); }, input);
         ++inputs;
      }
   }
   CHECK(inputs == 40000);
}
}  // TEST_SUITE("imap")
