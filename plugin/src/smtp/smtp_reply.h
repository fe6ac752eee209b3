// SMTP replies (RFC 5321 4.2), free of I/O so they are unit-tested and fuzzed alone: the lines of
// one reply ("250-first", "250 last"), its enhanced status code (RFC 3463, announced by
// ENHANCEDSTATUSCODES, RFC 2034), and the extensions an EHLO reply lists (RFC 5321 4.1.1.1):
// STARTTLS (RFC 3207), AUTH (RFC 4954), PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152),
// SMTPUTF8 (RFC 6531), DSN (RFC 3461), CHUNKING (RFC 3030).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace email::smtp {

struct Reply {
   int code = 0;                    // 220, 250, 334, 354, 421, 535, ...
   std::string enhanced;            // "5.7.139" when the reply carries one, else ""
   std::vector<std::string> lines;  // each line's text after the code and separator
   // Every line's text joined by spaces, the repeated enhanced code left out of all but the first.
   std::string text() const;
   bool positive() const { return code >= 200 && code < 400; }
   bool transient() const { return code >= 400 && code < 500; }
};

// Reads one reply line by line. A reply ends at a line whose code is followed by a space or
// nothing; the lines before it carry "-". Throws std::invalid_argument for a line that is not a
// reply line (no three-digit code 2xx-5xx, another code than the reply's first line, more than
// kMaxReplyLines lines).
class ReplyReader {
 public:
   // Adds `line` (without CRLF); true when the reply is complete (then take() it).
   bool add(std::string_view line);
   Reply take();

   static constexpr std::size_t kMaxReplyLines = 1000;

 private:
   Reply reply_;
};

// A whole reply from its lines (tests, fuzzing). Throws std::invalid_argument when the lines are
// not exactly one reply.
Reply parse_reply(const std::vector<std::string> &lines);

// The extensions an EHLO reply lists (its first line is the greeting, not an extension).
struct Extensions {
   bool starttls = false, pipelining = false, eightbitmime = false, smtputf8 = false, dsn = false,
        chunking = false, enhanced_status_codes = false;
   std::optional<std::uint64_t> size;  // SIZE's limit in bytes; 0 = announced without a limit
   std::vector<std::string> auth;      // upper-case mechanisms ("PLAIN", "XOAUTH2"), also from "AUTH=..."
   bool offers_auth(std::string_view mechanism) const;
};
Extensions parse_extensions(const Reply &ehlo);

// A sentence telling a bot designer what to do about a refusal whose enhanced code (or text) a
// provider documents: Microsoft's 5.7.139 (SMTP AUTH off for the tenant or mailbox), 5.7.3 (the
// password refused), 5.7.57 (not signed in before MAIL), 5.2.252 (SendAsDenied), Google's 5.7.8 (username and password not
// accepted), 5.7.9 (an app password required). "" for any other reply.
std::string advice_for(const Reply &reply);

}  // namespace email::smtp
