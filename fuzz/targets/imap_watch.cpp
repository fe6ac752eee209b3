// Waiting for new mail over IMAP (imap/imap_arrivals.cpp, imap/imap_idle.cpp) against a server
// that says anything: sign-in, then the arrivals after a cursor (SELECT, UID SEARCH, FETCH) and
// an IDLE of a second at most, its EXISTS and DONE read by the real line reader.
#include "imap/imap_client.h"
#include "loopback_peer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   return fuzz::run_client_session<email::ImapClient>(
       data, size, [](email::ImapClient &client, email::CallContext &context) {
          email::Mailbox &mailbox = client.mailbox();
          (void)mailbox.arrivals("INBOX", "imap1:7:3", {}, context);
          (void)mailbox.wait_for_change(
              "INBOX", std::chrono::milliseconds(300), std::chrono::milliseconds(300), [] { return false; },
              context);
          (void)mailbox.arrivals("INBOX", "", {}, context);
       });
}
