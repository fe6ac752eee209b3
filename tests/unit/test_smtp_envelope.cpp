// The SMTP envelope and DATA alone (smtp/smtp_envelope.h): commands with the parameters the
// server's extensions allow, addresses that could smuggle a command refused, and the message
// dot-stuffed with CRLF line ends however it is cut into chunks.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "smtp/smtp_envelope.h"

using namespace email::smtp;

TEST_SUITE("smtp") {

TEST_CASE("SMTP envelope: MAIL and RCPT with SIZE, 8BITMIME, SMTPUTF8 and DSN as offered") {
   EnvelopeOptions plain;
   CHECK(mail_from_command("grace@example.com", plain) == "MAIL FROM:<grace@example.com>\r\n");
   CHECK(rcpt_to_command("dave@example.com", plain) == "RCPT TO:<dave@example.com>\r\n");
   CHECK(mail_from_command("", plain) == "MAIL FROM:<>\r\n");  // the null reverse path
   EnvelopeOptions all;
   all.size = 10485760;
   all.eightbit = all.smtputf8 = all.dsn = true;
   CHECK(mail_from_command("grace@example.com", all) ==
         "MAIL FROM:<grace@example.com> SIZE=10485760 BODY=8BITMIME SMTPUTF8 RET=HDRS\r\n");
   CHECK(rcpt_to_command("d+x=y@example.com", all) ==
         "RCPT TO:<d+x=y@example.com> NOTIFY=FAILURE,DELAY ORCPT=rfc822;d+2Bx+3Dy@example.com\r\n");
   CHECK(rcpt_to_command("山田@例え.jp", all) == "RCPT TO:<山田@例え.jp> NOTIFY=FAILURE,DELAY\r\n");
   CHECK(needs_smtputf8("山田@例え.jp"));
   CHECK(!needs_smtputf8("yamada@example.jp"));
   CHECK(xtext("a b+c=\x7f") == "a+20b+2Bc+3D+7F");
}

TEST_CASE("SMTP envelope: an address that could end the command or the path is refused, saying why") {
   for (const char *bad : {"", "no-at-sign", "@example.com", "a@", "a@.example.com", "a@example..com",
                           "a@-example.com", "a@example-.com", "a@exa_mple.com", "a b@example.com",
                           "a@example.com>", "<a@example.com", "a@example.com\r\nRCPT TO:<evil@example.com>",
                           "a@example.com\nDATA", "a\x00@example.com", "a@[127.0.0.1]"}) {
      const std::string address(bad,
                                bad[0] == 'a' && bad[1] == '\x00' ? 15 : std::char_traits<char>::length(bad));
      CHECK_MESSAGE(!address_problem(address).empty(), address);
      CHECK_THROWS_AS(rcpt_to_command(address, EnvelopeOptions{}), std::invalid_argument);
   }
   CHECK(address_problem("a@example.com\r\nDATA") == "it contains a control character (a line break?)");
   CHECK(address_problem(std::string(250, 'a') + "@b.jp") == "it is longer than 254 characters");
   CHECK(address_problem("first.last+tag@mail.example.co.jp").empty());
}

TEST_CASE("SMTP DATA: CRLF line ends, leading dots doubled, the end marker, whatever the chunks") {
   const std::string message = "Subject: x\n\n.hidden\r\n..two\rbare CR\r\n.\nlast line";
   const std::string expected = "Subject: x\r\n\r\n..hidden\r\n...two\r\nbare CR\r\n..\r\nlast line\r\n.\r\n";
   // In sequence: the operands of + may be evaluated in any order.
   const auto stuffed = [](const std::vector<std::string> &chunks) {
      DotStuffer stuffer;
      std::string out;
      for (const std::string &chunk : chunks) out += stuffer.feed(chunk);
      return out + stuffer.finish();
   };
   CHECK(stuffed({message}) == expected);
   for (std::size_t cut = 1; cut < message.size(); ++cut)  // every split into two chunks
      CHECK_MESSAGE(stuffed({message.substr(0, cut), message.substr(cut)}) == expected, "cut at " << cut);
   DotStuffer bytewise;
   std::string out;
   for (char c : message) out += bytewise.feed(std::string(1, c));
   CHECK(out + bytewise.finish() == expected);
   CHECK(stuffed({"line\r\n"}) == "line\r\n.\r\n");
   CHECK(stuffed({}) == ".\r\n");
   CHECK(stuffed({"a\r"}) == "a\r\n.\r\n");
}

}  // TEST_SUITE("smtp")
