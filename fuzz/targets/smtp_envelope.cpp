// What a bot gives the SMTP client: addresses for the envelope (refused or sent, never able to
// end the command) and message bytes, dot-stuffed for DATA in chunks cut where the input says.
// Invariants checked: a command is one line; DATA has no bare CR or LF, no line that is a lone
// "." before the end, and ends with CRLF.CRLF.
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "fuzz_host.h"
#include "smtp/smtp_envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input(reinterpret_cast<const char *>(data), size);
   const std::size_t split = input.find('\0');
   const std::string address = input.substr(0, split);
   email::smtp::EnvelopeOptions options;
   options.dsn = options.smtputf8 = true;
   options.size = size;
   try {
      const std::string command = email::smtp::rcpt_to_command(address, options);
      if (command.find('\n') != command.size() - 1 || command.find('\r') != command.size() - 2) std::abort();
      (void)email::smtp::mail_from_command(address, options);
   } catch (const std::invalid_argument &) {}
   if (split == std::string::npos) return 0;
   email::smtp::DotStuffer stuffer;
   std::string out;
   const std::string body = input.substr(split + 1);
   const std::size_t step = body.empty() ? 1 : 1 + static_cast<unsigned char>(body[0]) % 7;
   for (std::size_t at = 0; at < body.size(); at += step)
      out += stuffer.feed(std::string_view(body).substr(at, step));
   out += stuffer.finish();
   for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i] == '\n' && (i == 0 || out[i - 1] != '\r')) std::abort();
      if (out[i] == '\r' && (i + 1 >= out.size() || out[i + 1] != '\n')) std::abort();
   }
   if (out.size() < 3 || out.compare(out.size() - 3, 3, ".\r\n") != 0) std::abort();
   if (out.size() > 3 && out.compare(out.size() - 5, 2, "\r\n") != 0) std::abort();
   for (std::size_t at = out.find("\r\n.\r\n"); at != std::string::npos; at = out.find("\r\n.\r\n", at + 1))
      if (at + 5 != out.size()) std::abort();
   return 0;
}
