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

OpenedMailbox open_outlook(const OutlookTarget &target, CallContext &context) {
   OpenedMailbox opened;
   auto session = std::make_unique<OutlookSession>(target, context, opened.warnings);
   const OutlookFacts &facts = session->facts();
   opened.user = facts.user_address.empty() ? facts.user_name : facts.user_address;
   opened.server =
       "Outlook " + facts.version + " (profile \"" + facts.profile + "\", mailbox \"" + facts.mailbox + "\")";
   opened.client = make_outlook_client(std::move(session));
   return opened;
}

}  // namespace email
