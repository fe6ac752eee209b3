#include "outlook/outlook_backend.h"

#include "util/failure.h"

namespace email {

namespace {

class OutlookBackend final : public Backend {
 public:
   const char *protocol() const override { return "Outlook"; }
   bool serves(const ConnectRequest &request) const override {
      return std::holds_alternative<OutlookTarget>(request.target);
   }
   // The peer a timeout names: Outlook refuses programs' calls while a dialog is open in it.
   std::string server_label(const ConnectRequest &) const override {
      return "Outlook (busy, or showing a dialog)";
   }
   OpenedMailbox open(const ConnectRequest &request, CallContext &context) const override {
      return open_outlook(std::get<OutlookTarget>(request.target), context);
   }
   OAuthSettings oauth_settings(const ConnectRequest &, CallContext &) const override {
      throw Failure(RPA_INVALID_PROPERTIES, "connection \"outlook\" has nothing to authorize");
   }
};

}  // namespace

const Backend &outlook_backend() {
   static const OutlookBackend backend;
   return backend;
}

}  // namespace email
