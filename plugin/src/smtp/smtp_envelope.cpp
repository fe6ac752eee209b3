#include "smtp/smtp_envelope.h"

#include <stdexcept>

namespace email::smtp {

namespace {

constexpr std::size_t kMaxPath = 254;  // RFC 5321 4.5.3.1.3: 256 octets with the angle brackets

bool ascii_letter_digit(unsigned char c) {
   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Dot-separated labels of letters, digits, hyphens and UTF-8 (internationalized names).
bool domain_ok(std::string_view domain) {
   if (domain.empty() || domain.size() > 253) return false;
   std::size_t label = 0;
   for (std::size_t i = 0; i <= domain.size(); ++i) {
      if (i == domain.size() || domain[i] == '.') {
         if (label == 0 || label > 63 || domain[i - 1] == '-' || domain[i - label] == '-') return false;
         label = 0;
         continue;
      }
      const unsigned char c = static_cast<unsigned char>(domain[i]);
      if (!ascii_letter_digit(c) && c != '-' && c < 0x80) return false;
      ++label;
   }
   return true;
}

}  // namespace

std::string address_problem(std::string_view address) {
   if (address.empty()) return "it is empty";
   if (address.size() > kMaxPath) return "it is longer than 254 characters";
   for (unsigned char c : address) {
      if (c < 0x20 || c == 0x7f) return "it contains a control character (a line break?)";
      if (c == ' ' || c == '<' || c == '>') return "it contains a space or angle brackets";
   }
   const std::size_t at = address.rfind('@');
   if (at == std::string_view::npos || at == 0) return "it has no local part and domain (name@example.com)";
   if (!domain_ok(address.substr(at + 1))) return "its domain is not a host name";
   return "";
}

bool needs_smtputf8(std::string_view address) {
   for (unsigned char c : address)
      if (c >= 0x80) return true;
   return false;
}

std::string xtext(std::string_view text) {
   static const char digits[] = "0123456789ABCDEF";
   std::string encoded;
   for (unsigned char c : text) {
      if (c >= '!' && c <= '~' && c != '+' && c != '=') {
         encoded.push_back(static_cast<char>(c));
      } else {
         encoded += '+';
         encoded += digits[c >> 4];
         encoded += digits[c & 0xF];
      }
   }
   return encoded;
}

std::string mail_from_command(std::string_view address, const EnvelopeOptions &options) {
   if (!address.empty()) {  // "<>" is the null reverse path (RFC 5321 4.5.5)
      const std::string problem = address_problem(address);
      if (!problem.empty()) throw std::invalid_argument(problem);
   }
   std::string command = "MAIL FROM:<" + std::string(address) + ">";
   if (options.size) command += " SIZE=" + std::to_string(*options.size);
   if (options.eightbit) command += " BODY=8BITMIME";
   if (options.smtputf8) command += " SMTPUTF8";
   if (options.dsn) command += " RET=HDRS";
   return command + "\r\n";
}

std::string rcpt_to_command(std::string_view address, const EnvelopeOptions &options) {
   const std::string problem = address_problem(address);
   if (!problem.empty()) throw std::invalid_argument(problem);
   std::string command = "RCPT TO:<" + std::string(address) + ">";
   if (options.dsn) {
      command += " NOTIFY=FAILURE,DELAY";
      if (!needs_smtputf8(address)) command += " ORCPT=rfc822;" + xtext(address);
   }
   return command + "\r\n";
}

std::string DotStuffer::feed(std::string_view chunk) {
   std::string out;
   out.reserve(chunk.size() + chunk.size() / 64 + 4);
   for (char c : chunk) {
      if (c == '\n') {
         if (!after_cr_) out += '\r';
         out += '\n';
         line_start_ = true;
         after_cr_ = false;
         continue;
      }
      if (after_cr_) {  // a bare CR ends a line
         out += '\n';
         line_start_ = true;
         after_cr_ = false;
      }
      if (c == '\r') {
         out += '\r';
         after_cr_ = true;
         continue;
      }
      if (line_start_ && c == '.') out += '.';
      line_start_ = false;
      out += c;
   }
   return out;
}

std::string DotStuffer::finish() {
   std::string out;
   if (after_cr_) {
      out += '\n';
      line_start_ = true;
      after_cr_ = false;
   }
   if (!line_start_) out += "\r\n";
   line_start_ = true;
   return out + ".\r\n";
}

}  // namespace email::smtp
