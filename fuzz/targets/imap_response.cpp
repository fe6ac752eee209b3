// IMAP response parsing: a response line with its literals, LIST data, capabilities, modified
// UTF-7, ID data (RFC 2971) made into JSON. Whatever the server sends is parsed or refused with std::invalid_argument.
#include <stdexcept>

#include "fuzz_host.h"
#include "imap/imap_response.h"
#include "imap/imap_values.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   try {
      email::imap::Response response = email::imap::parse_response(input);
      (void)email::imap::capabilities_from_code(response.code);
      (void)email::imap::split_atoms(response.text);
   } catch (const std::invalid_argument &) {}
   try {
      (void)email::imap::parse_list_data(input);
   } catch (const std::invalid_argument &) {}
   (void)email::imap::trailing_literal_size(input);
   (void)email::imap::decode_modified_utf7(input);
   (void)email::imap::id_fields_json(input);  // never throws
   return 0;
}
