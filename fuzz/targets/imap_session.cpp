// The IMAP client against a server that says anything: greeting, capabilities, login, LIST and
// literals read by the real line reader over a real socket. Ends in a Failure or a session.
#include "imap/imap_client.h"
#include "loopback_peer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   return fuzz::run_client_session<email::ImapClient>(data, size);
}
