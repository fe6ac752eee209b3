// Microsoft Graph's JSON answers: error bodies, resource ids, mailFolder and message pages. Whatever a server (or
// something posing as one) sends is read or refused with std::invalid_argument.
#include <stdexcept>

#include "fuzz_host.h"
#include "graph/graph_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   (void)email::graph::parse_error(input);
   (void)email::graph::parse_id(input);
   if (email::graph::describe_body(input).size() > 100) __builtin_trap();  // a message's few words
   try {
      (void)email::graph::parse_folder_page(input);
   } catch (const std::invalid_argument &) {}
   try {
      (void)email::graph::parse_message_page(input);
   } catch (const std::invalid_argument &) {}
   return 0;
}
