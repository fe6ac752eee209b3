// Microsoft Graph's JSON answers: error bodies, resource ids, one mailFolder, mailFolder and message pages (delta ones too), one message, a JSON batch's answers. Whatever a server (or
// something posing as one) sends is read or refused with std::invalid_argument.
#include <stdexcept>

#include "fuzz_host.h"
#include "graph/graph_json.h"
#include "graph/json_batch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   (void)email::graph::parse_error(input);
   (void)email::graph::parse_id(input);
   {  // one folder: a folder without a name is no folder
      const email::graph::FolderEntry folder = email::graph::parse_folder(input);
      if (!folder.id.empty() && folder.display_name.empty()) __builtin_trap();
   }
   if (email::graph::describe_body(input).size() > 100) __builtin_trap();  // a message's few words
   try {
      (void)email::graph::parse_folder_page(input);
   } catch (const std::invalid_argument &) {}
   try {  // also a delta round's page: @removed entries, the deltaLink, hasAttachments beside each
      const email::graph::MessagePage page = email::graph::parse_message_page(input);
      if (page.has_attachments.size() != page.messages.size()) __builtin_trap();
   } catch (const std::invalid_argument &) {}
   (void)email::graph::parse_message(input);
   (void)email::graph::parse_first_received(input);
   try {  // a JSON batch's answers: each names one of the batch's requests, once
      const auto answers = email::graph::parse_batch_answers(input, 4);
      std::size_t seen = 0;
      for (const auto &answer : answers) {
         if (answer.index >= 4 || (seen & (1u << answer.index))) __builtin_trap();
         seen |= 1u << answer.index;
      }
   } catch (const std::invalid_argument &) {}
   return 0;
}
