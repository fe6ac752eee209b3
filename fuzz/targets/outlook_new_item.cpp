// A message a bot sends or appends through Outlook, taken apart into a new item's properties
// (outlook/outlook_new_item.h): fields, Reply-To, bodies, importance, threading fields, and each
// attachment and inline part decoded into a private directory. A raw message is the bot's input
// (send_raw, append): nothing it holds may crash or hang the host. Slower than mime_message: each
// run makes and removes a directory of files.
#include "fuzz_host.h"
#include "mime/message_file.h"
#include "outlook/outlook_new_item.h"
#include "util/failure.h"
#include "util/files.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   try {
      email::mime::MessageFile file([&](const email::ByteSink &sink) { sink(input); });
      if (file.attachments().size() + file.inline_parts().size() > 20) return 0;
      const email::PrivateDirectory directory;
      (void)email::outlook_new_item(file, directory);
   } catch (const email::Failure &) {}
   return 0;
}
