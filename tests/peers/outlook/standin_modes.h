// What the stand-in is told by its environment (inherited from the first client, which COM's
// launch of a LocalServer32 passes on):
//   RPA_OUTLOOK_STANDIN_STORE     the default store: a folder with one subfolder per Outlook folder
//                                 (Inbox/, Sent Items/, Drafts/, Deleted Items/, Junk Email/), of .eml files
//   RPA_OUTLOOK_STANDIN_USER      the signed-in user, "Display Name <address>" (the default store's name)
//   RPA_OUTLOOK_STANDIN_STORES    more stores the profile has: "Display Name=folder|Display Name=folder"
//   RPA_OUTLOOK_STANDIN_SHARED    mailboxes the user may open with GetSharedDefaultFolder: "address=folder|..."
//   RPA_OUTLOOK_STANDIN_PROFILES  the MAPI profiles: "Outlook|Work" (default "Outlook", the first is the default)
//   RPA_OUTLOOK_STANDIN_MODE      "guard-deny": the object model guard set to deny (protected members
//                                 raise E_ACCESSDENIED); "guard-refused": the user clicked Deny on the
//                                 security prompt (MAPI_E_NOT_SUPPORTED); "no-events": Items offer no
//                                 ItemsEvents (standin_events.h)
//   RPA_OUTLOOK_STANDIN_DELIVER   "<seconds>|<.eml file>": new mail delivered after a client asks for events
//                                 (standin_events.h)
//   RPA_OUTLOOK_STANDIN_BUSY_MS   for this long after the server starts, every call is rejected as
//                                 Outlook does with a modal dialog open (RPC_E_CALL_REJECTED)
#pragma once

#include <string>
#include <vector>

namespace standin {

std::wstring environment(const wchar_t *name);
// "a=b|c=d" -> {{a,b},{c,d}}
std::vector<std::pair<std::wstring, std::wstring>> pairs(const std::wstring &text);
std::vector<std::wstring> split(const std::wstring &text, wchar_t separator);

// Whether calls are to be rejected as busy now.
bool busy_now();
// Throws Raised as the object model guard does for a protected member, when a guard mode is set.
void guarded();

}  // namespace standin
