// EWS SOAP responses: the envelope, ServerVersionInfo, faults with BackOffMilliseconds, response
// messages and folders, whatever the server sends.
#include "ews/ews_soap.h"
#include "fuzz_host.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   email::ews::Response response;
   (void)email::ews::parse_response(fuzz::text_of(data, size), response);
   return 0;
}
