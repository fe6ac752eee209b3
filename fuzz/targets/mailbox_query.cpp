// The search query a sibling plugin passes (email_mailbox.h `search`): parsed or refused with a
// Failure naming the member.
#include "fuzz_host.h"
#include "mailbox/mailbox_json.h"
#include "util/failure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   try {
      (void)email::parse_search_query(input.c_str());
   } catch (const email::Failure &) {}
   return 0;
}
