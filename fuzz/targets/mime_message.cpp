// A whole message as a server might send it, read by GMime the way fetch_attachment and
// fetch_bodies read it (spooled to a file): its summary, attachments (each decoded), inline parts
// (each decoded) and bodies. (The Outlook item it becomes: outlook_new_item.cpp.)
// Mail is hostile input; nothing it holds may crash or hang the host.
#include "fuzz_host.h"
#include "mime/message_file.h"
#include "mime/header_summary.h"
#include "util/failure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input = fuzz::text_of(data, size);
   (void)email::mime::summarize_headers(input);
   try {
      email::mime::MessageFile file([&](const email::ByteSink &sink) { sink(input); });
      (void)email::mime::summarize_message(file.message());
      std::size_t decoded = 0;
      const auto attachments = file.attachments();
      for (unsigned i = 0; i < attachments.size() && i < 20; ++i)
         file.write_attachment(i, [&](std::string_view chunk) { decoded += chunk.size(); });
      const auto inline_parts = file.inline_parts();
      for (unsigned i = 0; i < inline_parts.size() && i < 20; ++i)
         file.write_inline_part(i, [&](std::string_view chunk) { decoded += chunk.size(); });
      (void)file.text_body();
      (void)file.html_body();

   } catch (const email::Failure &) {}
   return 0;
}
