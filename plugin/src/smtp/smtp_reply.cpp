#include "smtp/smtp_reply.h"

#include <cctype>
#include <stdexcept>

#include "util/text.h"

namespace email::smtp {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// "5.7.139" at the start of `text`: class 2, 4 or 5; subject and detail of 1-3 digits.
std::size_t enhanced_length(std::string_view text) {
   if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') return 0;
   std::size_t at = 2;
   for (int part = 0; part < 2; ++part) {
      const std::size_t start = at;
      while (at < text.size() && digit(text[at]) && at - start < 3) ++at;
      if (at == start) return 0;
      if (part == 0) {
         if (at >= text.size() || text[at] != '.') return 0;
         ++at;
      }
   }
   if (at < text.size() && text[at] != ' ') return 0;
   return at;
}

std::string after_enhanced(const std::string &line, const std::string &enhanced) {
   if (enhanced.empty() || line.compare(0, enhanced.size(), enhanced) != 0) return line;
   std::size_t at = enhanced.size();
   while (at < line.size() && line[at] == ' ') ++at;
   return line.substr(at);
}

}  // namespace

std::string Reply::text() const {
   std::string joined;
   for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string part = i == 0 ? lines[i] : after_enhanced(lines[i], enhanced);
      if (part.empty()) continue;
      if (!joined.empty()) joined += ' ';
      joined += part;
   }
   return joined;
}

bool ReplyReader::add(std::string_view line) {
   if (line.size() < 3 || !digit(line[0]) || !digit(line[1]) || !digit(line[2]) || line[0] < '2' ||
       line[0] > '5')
      throw std::invalid_argument("not an SMTP reply line");
   if (line.size() > 3 && line[3] != ' ' && line[3] != '-')
      throw std::invalid_argument("not an SMTP reply line");
   const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
   if (reply_.lines.empty())
      reply_.code = code;
   else if (code != reply_.code)
      throw std::invalid_argument("an SMTP reply line with another code than the reply's first");
   if (reply_.lines.size() >= kMaxReplyLines) throw std::invalid_argument("an SMTP reply of too many lines");
   std::string text(line.size() > 4 ? line.substr(4) : std::string_view());
   if (reply_.lines.empty()) {
      const std::size_t length = enhanced_length(text);
      if (length > 0) {
         reply_.enhanced = text.substr(0, length);
         text = after_enhanced(text, reply_.enhanced);
      }
   }
   reply_.lines.push_back(std::move(text));
   return line.size() == 3 || line[3] == ' ';
}

Reply ReplyReader::take() {
   Reply taken = std::move(reply_);
   reply_ = Reply{};
   return taken;
}

Reply parse_reply(const std::vector<std::string> &lines) {
   ReplyReader reader;
   for (std::size_t i = 0; i < lines.size(); ++i) {
      const bool complete = reader.add(lines[i]);
      if (complete != (i + 1 == lines.size())) throw std::invalid_argument("not exactly one SMTP reply");
   }
   if (lines.empty()) throw std::invalid_argument("no SMTP reply");
   return reader.take();
}

bool Extensions::offers_auth(std::string_view mechanism) const {
   for (const std::string &offered : auth)
      if (iequals(offered, mechanism)) return true;
   return false;
}

Extensions parse_extensions(const Reply &ehlo) {
   Extensions found;
   for (std::size_t i = 1; i < ehlo.lines.size(); ++i) {
      std::vector<std::string> words;
      std::string word;
      for (char c : ehlo.lines[i] + " ") {
         if (c == ' ') {
            if (!word.empty()) words.push_back(std::move(word));
            word.clear();
         } else {
            word.push_back(c);
         }
      }
      if (words.empty()) continue;
      std::string keyword = to_upper_ascii(words[0]);
      std::vector<std::string> parameters(words.begin() + 1, words.end());
      if (keyword.rfind("AUTH=", 0) == 0) {  // the pre-RFC 4954 form some servers still send
         parameters.insert(parameters.begin(), keyword.substr(5));
         keyword = "AUTH";
      }
      if (keyword == "STARTTLS")
         found.starttls = true;
      else if (keyword == "PIPELINING")
         found.pipelining = true;
      else if (keyword == "8BITMIME")
         found.eightbitmime = true;
      else if (keyword == "SMTPUTF8")
         found.smtputf8 = true;
      else if (keyword == "DSN")
         found.dsn = true;
      else if (keyword == "CHUNKING")
         found.chunking = true;
      else if (keyword == "ENHANCEDSTATUSCODES")
         found.enhanced_status_codes = true;
      else if (keyword == "SIZE") {
         std::uint64_t limit = 0;
         if (!parameters.empty() && parameters[0].size() <= 19 &&
             parameters[0].find_first_not_of("0123456789") == std::string::npos)
            limit = std::stoull(parameters[0]);
         found.size = limit;
      } else if (keyword == "AUTH") {
         for (const std::string &mechanism : parameters)
            if (!mechanism.empty() && mechanism.size() <= 40 && !found.offers_auth(mechanism))
               found.auth.push_back(to_upper_ascii(mechanism));
      }
   }
   return found;
}

std::string advice_for(const Reply &reply) {
   const std::string text = to_lower_ascii(reply.text());
   if (reply.enhanced == "5.7.139" || text.find("smtpclientauthentication is disabled") != std::string::npos)
      return "Microsoft 365 has SMTP AUTH turned off for this tenant or mailbox (Exchange Online turns "
             "password "
             "sign-in to SMTP off by default from the end of December 2026): sign in with OAuth2, or use the "
             "\"microsoft365\" connection; an administrator can turn SMTP AUTH on for the mailbox";
   if (reply.enhanced == "5.2.252" || text.find("sendasdenied") != std::string::npos)
      return "Exchange does not let this account send as that sender: send from the account's own address, "
             "or ask an administrator for \"Send As\" (or \"Send on Behalf\") permission on that mailbox";
   if (reply.enhanced == "5.7.57")
      return "the server takes mail only from a signed-in client: check that the session signs in to SMTP "
             "(the submission port 587 with STARTTLS, or 465)";
   if (reply.enhanced == "5.7.3" && text.find("authentication unsuccessful") != std::string::npos)
      return "Microsoft 365 refused the password: where multi-factor sign-in or security defaults are on, "
             "passwords do not work for SMTP; sign in with OAuth2";
   if (reply.enhanced == "5.7.9" || text.find("application-specific password required") != std::string::npos)
      return "Google requires an app password for this account (2-Step Verification is on): create one at "
             "myaccount.google.com/apppasswords, or sign in with OAuth2";
   if (reply.enhanced == "5.7.8" && text.find("username and password not accepted") != std::string::npos)
      return "Google did not accept the username and password: use an app password (with 2-Step "
             "Verification) or OAuth2; Google no longer takes the account password from mail programs";
   return "";
}

}  // namespace email::smtp
