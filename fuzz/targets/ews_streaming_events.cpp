// GetStreamingEvents' answer as an EWS wait reads it (ews/ews_streaming.h): the HTTP head, the body
// part by part (http/http1_connection.h: HttpBodyReader, chunked or by Content-Length), the parts
// split into SOAP envelopes (ews/ews_streaming_events.h) and each read. The answer is events or a
// Failure, never a crash, a hang, or a part or an envelope past its limit.
#include "ews/ews_streaming_events.h"
#include "fuzz_host.h"
#include "http/http1_connection.h"
#include "util/failure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   constexpr std::size_t kPart = 4096;
   email::TextSource source(fuzz::text_of(data, size));
   try {
      bool keep_alive = false;
      const email::HttpResponse head = email::read_http_head(source, keep_alive);
      email::HttpBodyReader body(head, kPart);
      email::ews::EwsEnvelopeSplitter splitter;
      while (std::optional<std::string> part = body.next(source)) {
         if (part->size() > kPart || part->empty()) __builtin_trap();
         splitter.feed(*part);
         while (std::optional<std::string> envelope = splitter.next()) {
            if (envelope->size() > email::ews::EwsEnvelopeSplitter::kMaxEnvelopeBytes + kPart)
               __builtin_trap();
            try {
               email::ews::read_streamed_events(*envelope);
            } catch (const email::Failure &) {}
         }
      }
   } catch (const email::Failure &) {}
   return 0;
}
