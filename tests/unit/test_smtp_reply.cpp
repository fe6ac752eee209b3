// SMTP replies alone (smtp/smtp_reply.h): one- and multi-line replies, enhanced status codes, the
// extensions of an EHLO reply, and what a bot designer is told about Microsoft's and Google's
// documented refusals.
#include <doctest/doctest.h>

#include <stdexcept>

#include "smtp/smtp_reply.h"

using namespace email::smtp;

TEST_SUITE("smtp") {

TEST_CASE("SMTP replies: one line, several lines, enhanced codes kept once, malformed lines refused") {
   const Reply ready = parse_reply({"220 mail.example.com ESMTP ready"});
   CHECK(ready.code == 220);
   CHECK(ready.enhanced.empty());
   CHECK(ready.text() == "mail.example.com ESMTP ready");
   CHECK(ready.positive());

   const Reply refused = parse_reply({"535-5.7.139 Authentication unsuccessful, the request did not meet",
                                      "535 5.7.139 the criteria to be authenticated successfully."});
   CHECK(refused.code == 535);
   CHECK(refused.enhanced == "5.7.139");
   CHECK(refused.text() ==
         "Authentication unsuccessful, the request did not meet the criteria to be authenticated "
         "successfully.");
   CHECK(!refused.positive());
   CHECK(!refused.transient());
   CHECK(parse_reply({"451 4.3.0 try later"}).transient());
   CHECK(parse_reply({"250"}).lines == std::vector<std::string>{""});
   CHECK(parse_reply({"250 2.1.0"}).enhanced == "2.1.0");
   CHECK(parse_reply({"250 2.1.0x not a code"}).enhanced.empty());
   CHECK(parse_reply({"550 5.1.1234 four digits"}).enhanced.empty());

   for (const std::vector<std::string> &bad : {std::vector<std::string>{},
                                               {"25"},
                                               {"abc ok"},
                                               {"150 below 2xx"},
                                               {"650 above 5xx"},
                                               {"250x"},
                                               {"250-more", "251 another code"},
                                               {"250-more"},
                                               {"250 done", "250 again"}})
      CHECK_THROWS_AS(parse_reply(bad), std::invalid_argument);
   ReplyReader reader;
   for (std::size_t i = 0; i < ReplyReader::kMaxReplyLines; ++i) CHECK(!reader.add("250-line"));
   CHECK_THROWS_AS(reader.add("250 one too many"), std::invalid_argument);
}

TEST_CASE("SMTP EHLO: every extension the client uses, SIZE's limit, AUTH in both forms") {
   const Extensions found = parse_extensions(
       parse_reply({"250-smtp.example.com Hello", "250-PIPELINING", "250-SIZE 36700160", "250-8BITMIME",
                    "250-SMTPUTF8", "250-DSN", "250-CHUNKING", "250-ENHANCEDSTATUSCODES", "250-STARTTLS",
                    "250-AUTH LOGIN plain XOAUTH2", "250 AUTH=LOGIN PLAIN"}));
   CHECK(found.pipelining);
   CHECK(found.size == 36700160u);
   CHECK(found.eightbitmime);
   CHECK(found.smtputf8);
   CHECK(found.dsn);
   CHECK(found.chunking);
   CHECK(found.enhanced_status_codes);
   CHECK(found.starttls);
   CHECK(found.auth == std::vector<std::string>{"LOGIN", "PLAIN", "XOAUTH2"});
   CHECK(found.offers_auth("xoauth2"));
   CHECK(!found.offers_auth("OAUTHBEARER"));

   const Extensions bare = parse_extensions(parse_reply({"250 only the greeting PIPELINING"}));
   CHECK(!bare.pipelining);  // the first line is the greeting, not an extension
   CHECK(!bare.size);
   CHECK(parse_extensions(parse_reply({"250-x", "250 SIZE"})).size == 0u);
   CHECK(parse_extensions(parse_reply({"250-x", "250 SIZE 99999999999999999999999"})).size == 0u);
}

TEST_CASE("SMTP refusals: Microsoft's and Google's documented codes each say what to do") {
   CHECK(advice_for(
             parse_reply({"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled "
                          "for the Tenant."}))
             .find("OAuth2") != std::string::npos);
   CHECK(
       advice_for(parse_reply({"535 5.7.139 Authentication unsuccessful, basic authentication is disabled."}))
           .find("\"microsoft365\"") != std::string::npos);
   CHECK(advice_for(parse_reply({"535 5.7.3 Authentication unsuccessful"})).find("multi-factor") !=
         std::string::npos);
   CHECK(advice_for(parse_reply({"530 5.7.57 Client not authenticated to send mail. [AM0PR...]"}))
             .find("signs in to SMTP") != std::string::npos);
   CHECK(advice_for(parse_reply({"535-5.7.8 Username and Password not accepted. For more information, go to",
                                 "535 5.7.8  https://support.google.com/mail/?p=BadCredentials"}))
             .find("app password") != std::string::npos);
   CHECK(advice_for(
             parse_reply({"534-5.7.9 Application-specific password required. For more information, go to",
                          "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor"}))
             .find("apppasswords") != std::string::npos);
   CHECK(advice_for(parse_reply({"535 5.7.8 Error: authentication failed: another server's words"})).empty());
   CHECK(advice_for(parse_reply({"550 5.1.1 no such user"})).empty());
}

}  // TEST_SUITE("smtp")
