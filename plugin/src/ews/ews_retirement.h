// EWS's end in Exchange Online, in the words the plugin says it: Microsoft blocks EWS from
// 1 October 2026 for every tenant and app an administrator has not allowed (EWSEnabled,
// EWSAllowedAppIDs) and turns it off for everyone on 1 April 2027; Microsoft Graph (connection
// "microsoft365") replaces it. Used by the warning on each Exchange Online EWS session, by the
// message when EWS refuses a request with HTTP 403, and by the step migration (rpa-host migrate).
#pragma once

#include <string>

namespace email {

// How an EWS step signs in, which decides the Graph permission that replaces it.
enum class EwsSignIn { basic, delegated, app_only };

// The Microsoft Graph permission an administrator grants so the same app reaches the mailbox
// through Graph, as a phrase: "the delegated Microsoft Graph permission Mail.ReadWrite ...".
std::string graph_permission_for(EwsSignIn sign_in);

// The warning every Connect to an Exchange Online EWS endpoint carries.
const char *exchange_online_retirement_warning();

// authentication_failed text for an HTTP 403 from EWS: EWS is turned off for the mailbox, the app
// or the organization. `exchange_online`: the endpoint is Exchange Online, so the text names the
// move to Graph as the fix; otherwise it names the on-premises settings and Graph only if the
// mailbox is in Exchange Online. `reason`: the server's x-ms-diagnostics text, or empty.
std::string ews_refused_message(const std::string &server, const std::string &username, bool exchange_online,
                                EwsSignIn sign_in, const std::string &reason);

}  // namespace email
