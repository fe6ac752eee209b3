// What an SMTP server sends: reply lines (one per input line) read into replies, their enhanced
// codes and texts, an EHLO reply's extensions and the advice for a refusal.
#include <stdexcept>
#include <string>

#include "fuzz_host.h"
#include "smtp/smtp_reply.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input(reinterpret_cast<const char *>(data), size);
   email::smtp::ReplyReader reader;
   std::size_t start = 0;
   while (start <= input.size()) {
      std::size_t end = input.find('\n', start);
      if (end == std::string::npos) end = input.size();
      try {
         if (reader.add(std::string_view(input).substr(start, end - start))) {
            const email::smtp::Reply reply = reader.take();
            (void)reply.text();
            (void)email::smtp::parse_extensions(reply);
            (void)email::smtp::advice_for(reply);
         }
      } catch (const std::invalid_argument &) {
         reader = email::smtp::ReplyReader();
      }
      start = end + 1;
   }
   return 0;
}
