// Autodiscover POX answers: settings, redirectAddr, redirectUrl, errors, anything else.
#include "ews/autodiscover.h"
#include "fuzz_host.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   (void)email::read_autodiscover_answer(fuzz::text_of(data, size));
   return 0;
}
