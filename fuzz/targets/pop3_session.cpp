// The POP3 client against a server that says anything: greeting, CAPA, STLS, USER/PASS or SASL.
#include "fuzz_host.h"
#include "loopback_peer.h"
#include "pop3/pop3_client.h"
#include "util/failure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   static fuzz::LoopbackPeer peer;
   const email::HostServices host(fuzz::quiet_host());
   peer.serve(fuzz::text_of(data, size));
   {
      email::ServerEndpoint endpoint{"127.0.0.1", peer.port(), email::TlsPolicy::starttls_if_offered, {},
                                     std::chrono::milliseconds(2000)};
      email::CallContext context(host, endpoint.timeout, endpoint.label());
      try {
         auto client = email::Pop3Client::open(endpoint, "alice", email::SecretString("correct horse"), context,
                                               email::SecretKind::password);
         (void)client->list_folders(context);
      } catch (const email::Failure &) {
      }
   }
   peer.finish();
   return 0;
}
