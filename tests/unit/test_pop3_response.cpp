#include <doctest/doctest.h>

#include <stdexcept>

#include "pop3/pop3_response.h"

using namespace email::pop3;

TEST_SUITE("pop3") {

TEST_CASE("+OK - -ERR with a response code - and continuations") {
   Reply ok = parse_reply("+OK Dovecot ready.");
   CHECK(ok.kind == Reply::Kind::ok);
   CHECK(ok.text == "Dovecot ready.");
   CHECK(parse_reply("+OK").text.empty());

   Reply err = parse_reply("-ERR [AUTH] Authentication failed.");
   CHECK(err.kind == Reply::Kind::err);
   CHECK(err.code == "AUTH");
   CHECK(err.text == "Authentication failed.");
   CHECK(parse_reply("-ERR [SYS/TEMP] try later").code == "SYS/TEMP");

   Reply challenge = parse_reply("+ VXNlcm5hbWU6");
   CHECK(challenge.kind == Reply::Kind::continuation);
   CHECK(challenge.text == "VXNlcm5hbWU6");
   CHECK(parse_reply("+ ").text.empty());
   CHECK(parse_reply("+").kind == Reply::Kind::continuation);

   CHECK_THROWS_AS(parse_reply("* OK IMAP"), std::invalid_argument);
   CHECK_THROWS_AS(parse_reply(""), std::invalid_argument);
}

TEST_CASE("multi-line replies end at a lone dot and are unstuffed") {
   std::string line = "..hidden";
   CHECK(unstuff_multiline(line));
   CHECK(line == ".hidden");
   std::string plain = "TOP";
   CHECK(unstuff_multiline(plain));
   CHECK(plain == "TOP");
   std::string end = ".";
   CHECK_FALSE(unstuff_multiline(end));
}

TEST_CASE("capabilities and SASL mechanisms") {
   Capabilities caps = parse_capabilities({"CAPA", "TOP", "user", "STLS", "SASL PLAIN  LOGIN", "RESP-CODES"});
   CHECK(caps.has("USER"));
   CHECK(caps.has("stls"));
   CHECK_FALSE(caps.has("PIPELINING"));
   CHECK(caps.offers_sasl("plain"));
   CHECK(caps.offers_sasl("LOGIN"));
   CHECK_FALSE(caps.offers_sasl("XOAUTH2"));
   CHECK(caps.sasl_mechanisms.size() == 2);
   Capabilities empty_sasl = parse_capabilities({"SASL"});
   CHECK(empty_sasl.has("SASL"));
   CHECK(empty_sasl.sasl_mechanisms.empty());
}

}  // TEST_SUITE("pop3")
