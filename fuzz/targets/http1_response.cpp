// HTTP/1.1 responses as the plugin's own connection reads them (http/http1_connection.h: NTLM's
// legs): status lines, headers, Content-Length and chunked bodies, whatever the server sends. The
// answer is a response or a Failure, never a crash, a hang or a body past the limit.
#include "fuzz_host.h"
#include "http/http1_connection.h"
#include "util/failure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   constexpr std::size_t kLimit = 4096;
   email::TextSource source(fuzz::text_of(data, size));
   try {
      bool keep_alive = false;
      const email::HttpResponse response = email::read_http_response(source, kLimit, false, keep_alive);
      if (response.body.size() > kLimit || response.status < 200 || response.status > 999) __builtin_trap();
   } catch (const email::Failure &) {}
   return 0;
}
