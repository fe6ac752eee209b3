#include "http/request_target.h"

#include "util/failure.h"
#include "util/text.h"

namespace email {

RequestTarget target_of(const HttpRequest &request, const char *what) {
   RequestTarget target;
   try {
      target.uri = web::uri(request.url);
   } catch (const web::uri_exception &) {
      throw Failure(RPA_INVALID_PROPERTIES,
                    std::string("not a valid URL for ") + what + ": \"" + printable(request.url, 200) + "\"");
   }
   target.plain = request.allow_plain_http && request.authorization.empty() && request.body.empty() &&
                  target.uri.scheme() == "http" && !request.one_connection;
   if (target.uri.scheme() != "https" && !target.plain)
      throw Failure(RPA_TLS_FAILED, std::string("refusing to send ") + what + " to \"" +
                                        printable(request.url, 200) +
                                        "\": only https:// URLs are used, so that nothing travels "
                                        "in clear text");
   target.host = target.uri.host();
   target.port = static_cast<std::uint16_t>(target.uri.port() > 0 ? target.uri.port()
                                            : target.plain        ? 80
                                                                  : 443);
   return target;
}

}  // namespace email
