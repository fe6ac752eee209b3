// What the Outlook connection reads from outside: a message reference a sibling passes
// (outlook/outlook_ref.h), and an item's transport headers (PR_TRANSPORT_MESSAGE_HEADERS, as the
// sender's servers wrote them) built into an RFC 822 message with GMime (outlook/outlook_mime.h),
// which the plugin's own MIME reader then parses. Input: the reference, a NUL, the headers, a
// NUL, the text body.
#include <string>

#include "fuzz_host.h"
#include "mime/message_file.h"
#include "outlook/outlook_mime.h"
#include "outlook/outlook_ref.h"
#include "util/failure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input(reinterpret_cast<const char *>(data), size);
   const std::size_t first = input.find('\0');
   const std::size_t second = first == std::string::npos ? std::string::npos : input.find('\0', first + 1);
   (void)email::parse_outlook_ref(input.substr(0, first));
   email::OutlookItemContent item;
   if (first != std::string::npos) item.transport_headers = input.substr(first + 1, second - first - 1);
   if (second != std::string::npos) item.text = input.substr(second + 1);
   (void)email::outlook_header_block(item.transport_headers);
   try {
      std::string message;
      email::write_outlook_message(item, [&](std::string_view chunk) { message.append(chunk); });
      email::mime::MessageFile parsed([&](const email::ByteSink &sink) { sink(message); });
      (void)parsed.text_body();
   } catch (const email::Failure &) {}
   return 0;
}
