// outlook/outlook_backend.h on Windows: classic Outlook through COM automation.
#include "outlook/outlook_backend.h"

#include <windows.h>
#include <shlobj.h>

#include "outlook/com_dispatch.h"
#include "outlook/outlook_client.h"
#include "outlook/outlook_session.h"
#include "util/failure.h"

namespace email {

namespace {

// Whether the new Outlook for Windows is installed: its app execution alias, olk.exe, in the
// user's WindowsApps folder (where Windows puts the aliases of Store apps).
bool new_outlook_installed() {
   PWSTR local = nullptr;
   if (FAILED(SHGetKnownFolderPath(FOLDERID_LocalAppData, 0, nullptr, &local))) return false;
   std::wstring alias = std::wstring(local) + L"\\Microsoft\\WindowsApps\\olk.exe";
   CoTaskMemFree(local);
   return GetFileAttributesW(alias.c_str()) != INVALID_FILE_ATTRIBUTES;
}

class OutlookBackend final : public Backend {
 public:
   const char *protocol() const override { return "Outlook"; }
   bool serves(const ConnectRequest &request) const override {
      return std::holds_alternative<OutlookTarget>(request.target);
   }
   // The peer named in a timeout: Outlook refuses programs' calls while a dialog is open in it.
   std::string server_label(const ConnectRequest &) const override {
      return "Outlook (busy, or showing a dialog)";
   }
   OpenedMailbox open(const ConnectRequest &request, CallContext &context) const override {
      require_classic_outlook();
      OpenedMailbox opened;
      auto session =
          std::make_unique<OutlookSession>(std::get<OutlookTarget>(request.target), context, opened.warnings);
      opened.user =
          session->facts().user_address.empty() ? session->facts().user_name : session->facts().user_address;
      opened.server = "Outlook " + session->facts().version + " (profile \"" + session->facts().profile +
                      "\", mailbox \"" + session->facts().mailbox + "\")";
      opened.client = make_outlook_client(std::move(session));
      return opened;
   }
   OAuthSettings oauth_settings(const ConnectRequest &, CallContext &) const override {
      throw Failure(RPA_INVALID_PROPERTIES, "connection \"outlook\" has nothing to authorize");
   }
};

}  // namespace

void require_classic_outlook() {
   if (com::progid_registered(L"Outlook.Application")) return;
   if (new_outlook_installed())
      throw Failure(
          RPA_UNSUPPORTED,
          "only the new Outlook for Windows is installed on this machine, and it has no object model that "
          "programs can drive; install classic Outlook (Microsoft 365 Apps), or connect with "
          "\"microsoft365\" (Exchange Online) or \"ews\" (Exchange Server) to the same mailbox");
   throw Failure(RPA_UNSUPPORTED,
                 "classic Outlook is not installed on this machine (Outlook.Application is not registered); "
                 "connect with \"microsoft365\" (Exchange Online) or \"ews\" (Exchange Server) to the same "
                 "mailbox without Outlook");
}

const Backend &outlook_backend() {
   static const OutlookBackend backend;
   return backend;
}

}  // namespace email
