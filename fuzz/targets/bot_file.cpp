// Bot files: {"steps": [{"action": ..., "properties": {...}}]}, whatever a designer (or an
// attacker) writes.
#include <sstream>

#include "bot_runner.h"
#include "fuzz_host.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   std::vector<rpa_host::BotStep> steps;
   std::ostringstream errors;
   (void)rpa_host::parse_bot(std::string_view(reinterpret_cast<const char *>(data), size), "bot.json", steps,
                             errors);
   return 0;
}
