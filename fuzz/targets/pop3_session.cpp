// The POP3 client against a server that says anything: greeting, CAPA, STLS, USER/PASS or SASL.
#include "loopback_peer.h"
#include "pop3/pop3_client.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   return fuzz::run_client_session<email::Pop3Client>(data, size);
}
