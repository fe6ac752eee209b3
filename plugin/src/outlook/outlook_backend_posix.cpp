// outlook/outlook_backend.h off Windows: Outlook's object model exists only there.
#include "outlook/outlook_backend.h"

#include "util/failure.h"

namespace email {

namespace {

const char kNotHere[] =
    "connection \"outlook\" drives classic desktop Microsoft Outlook, which needs a Windows bot runner; this "
    "host is not running on Windows. Use \"microsoft365\" (Exchange Online) or \"ews\" (Exchange Server) "
    "with "
    "the same account, or \"email_server\" (IMAP/POP3)";

class OutlookBackend final : public Backend {
 public:
   const char *protocol() const override { return "Outlook"; }
   bool serves(const ConnectRequest &request) const override {
      return std::holds_alternative<OutlookTarget>(request.target);
   }
   std::string server_label(const ConnectRequest &) const override { return "Outlook"; }
   OpenedMailbox open(const ConnectRequest &, CallContext &) const override {
      throw Failure(RPA_UNSUPPORTED, kNotHere);
   }
   OAuthSettings oauth_settings(const ConnectRequest &, CallContext &) const override {
      throw Failure(RPA_INVALID_PROPERTIES, "connection \"outlook\" has nothing to authorize");
   }
};

}  // namespace

void require_classic_outlook() { throw Failure(RPA_UNSUPPORTED, kNotHere); }

const Backend &outlook_backend() {
   static const OutlookBackend backend;
   return backend;
}

}  // namespace email
