// The search query a sibling plugin passes (email_mailbox.h `search`): parsed or refused with a
// Failure naming the member.
#include "fuzz_host.h"
#include <cstdlib>

#include "mailbox/mailbox_json.h"
#include "session/watch_entry_points.h"
#include "util/failure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   try {
      (void)email::parse_search_query(input.c_str());
   } catch (const email::Failure &) {}
   try {                          // a wait's filter (email_watch.h): the same members and poll_seconds
      unsigned poll_seconds = 0;  // absent: left as it is
      (void)email::parse_wait_filter(input.c_str(), poll_seconds);
      if (poll_seconds > 3600) std::abort();
   } catch (const email::Failure &) {}
   return 0;
}
