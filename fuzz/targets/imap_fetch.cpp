// FETCH data and what is read from it: IMAP values, BODYSTRUCTURE to attachments (through
// GMime's parameter decoding), the summary header through GMime, SEARCH and COPYUID/APPENDUID
// data. Whatever the server sends is read or refused with std::invalid_argument.
#include <stdexcept>

#include "fuzz_host.h"
#include "imap/imap_fetch.h"
#include "mime/header_summary.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   try {
      email::imap::FetchedItems items = email::imap::parse_fetch(input);
      if (items.header) (void)email::mime::summarize_headers(*items.header);
   } catch (const std::invalid_argument &) {}
   try {
      for (const auto &value : email::imap::parse_values(input)) (void)email::imap::attachments_of(value);
   } catch (const std::invalid_argument &) {}
   (void)email::imap::parse_search(input);
   (void)email::imap::parse_uidplus_code(input);
   return 0;
}
