// POP3 reply parsing: status lines, multi-line unstuffing, CAPA lists.
#include <sstream>
#include <stdexcept>
#include <vector>

#include "fuzz_host.h"
#include "pop3/pop3_response.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   try {
      (void)email::pop3::parse_reply(input);
   } catch (const std::invalid_argument &) {}
   std::vector<std::string> lines;
   std::istringstream stream(input);
   for (std::string line; std::getline(stream, line);) {
      if (!email::pop3::unstuff_multiline(line)) break;
      lines.push_back(line);
   }
   auto capabilities = email::pop3::parse_capabilities(lines);
   (void)capabilities.has("USER");
   (void)capabilities.offers_sasl("PLAIN");
   return 0;
}
