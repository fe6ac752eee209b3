// Waiting for new mail over POP3 (pop3/pop3_arrivals.cpp): the input's first line is the bot's
// cursor, the rest what the server says (sign-in, UIDL, LIST, TOP), so both the cursor's reading
// and the arrivals after it meet anything.
#include <string>

#include "loopback_peer.h"
#include "pop3/pop3_client.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   const std::string input(reinterpret_cast<const char *>(data), size);
   const std::size_t end = std::min(input.find('\n'), input.size());
   std::string cursor = input.substr(0, end);
   if (!cursor.empty() && cursor.back() == '\r') cursor.pop_back();
   const std::size_t rest = std::min(end + 1, size);
   return fuzz::run_client_session<email::Pop3Client>(
       data + rest, size - rest, [&](email::Pop3Client &client, email::CallContext &context) {
          email::Mailbox &mailbox = client.mailbox();
          try {
             (void)mailbox.arrivals("INBOX", cursor, {}, context);
          } catch (const email::Failure &) {}
          (void)mailbox.arrivals("INBOX", "", {}, context);
       });
}
