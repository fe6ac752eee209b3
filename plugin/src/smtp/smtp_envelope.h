// What an SMTP client sends besides the sign-in, free of I/O so it is unit-tested and fuzzed
// alone: the envelope commands with the parameters the server's extensions allow (RFC 5321
// MAIL/RCPT; SIZE, RFC 1870; BODY=8BITMIME, RFC 6152; SMTPUTF8, RFC 6531; DSN's RET, NOTIFY and
// ORCPT, RFC 3461), checked so that no address can carry a command of its own, and the message
// as DATA carries it (RFC 5321 4.5.2: every line ending CRLF, a leading "." doubled, then
// CRLF.CRLF), streamed in chunks so a large message is never whole in memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace email::smtp {

struct EnvelopeOptions {
   std::optional<std::uint64_t> size;  // the message's size, when the server announced SIZE
   bool eightbit = false;              // BODY=8BITMIME: the message has 8-bit text (server has 8BITMIME)
   bool smtputf8 = false;              // SMTPUTF8: an address or header is UTF-8 (server has SMTPUTF8)
   bool dsn = false;                   // the server has DSN: RET=HDRS, NOTIFY=FAILURE,DELAY, ORCPT
};

// Why `address` cannot go into an envelope ("" when it can): empty, longer than 254 octets, no
// local part or domain, a character that could end the command or the path (CR, LF, NUL, other
// controls, space, <, >), a domain that is not dot-separated labels. Non-ASCII is allowed here;
// needs_smtputf8 says so and the caller requires SMTPUTF8 of the server.
std::string address_problem(std::string_view address);
bool needs_smtputf8(std::string_view address);

// "MAIL FROM:<a@b> SIZE=123 BODY=8BITMIME SMTPUTF8 RET=HDRS\r\n". Throws std::invalid_argument
// with address_problem's reason.
std::string mail_from_command(std::string_view address, const EnvelopeOptions &options);
// "RCPT TO:<a@b> NOTIFY=FAILURE,DELAY ORCPT=rfc822;a@b\r\n" (ORCPT xtext-encoded, ASCII
// addresses only). Throws std::invalid_argument.
std::string rcpt_to_command(std::string_view address, const EnvelopeOptions &options);

// RFC 3461 4: xtext, "+" followed by two upper-case hex digits for "+", "=" and every octet
// outside "!" to "~".
std::string xtext(std::string_view text);

// The message as DATA carries it, chunk by chunk: line ends made CRLF (a bare CR or LF too), a "."
// at the start of a line doubled. finish() ends the last line and adds ".\r\n".
class DotStuffer {
 public:
   std::string feed(std::string_view chunk);
   std::string finish();

 private:
   bool line_start_ = true;
   bool after_cr_ = false;
};

}  // namespace email::smtp
