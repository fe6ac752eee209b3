#include "ews/ews_retirement.h"

namespace email {

namespace {

const char *move_to_graph(EwsSignIn sign_in) {
   return sign_in == EwsSignIn::basic
              ? "Graph signs in with OAuth2 only: register an app in Microsoft Entra ID, then use "
                "connection \"microsoft365\" with auth_type \"oauth2\", its client_id and tenant_id"
              : "use connection \"microsoft365\" with the same username, client_id, tenant_id and "
                "credentials";
}

}  // namespace

std::string graph_permission_for(EwsSignIn sign_in) {
   if (sign_in == EwsSignIn::app_only)
      return "the application permission Mail.ReadWrite of Microsoft Graph, with admin consent (limit it "
             "to the bot's mailboxes with RBAC for Applications in Exchange Online); the EWS permission "
             "full_access_as_app can then be removed";
   return "the delegated permission Mail.ReadWrite of Microsoft Graph (plus Mail.ReadWrite.Shared for "
          "shared mailboxes), consented by an administrator or by the user through Authorize; the EWS "
          "permission EWS.AccessAsUser.All can then be removed";
}

const char *exchange_online_retirement_warning() {
   return "Microsoft is retiring EWS in Exchange Online: since 1 October 2026 it blocks EWS for "
          "tenants and apps an administrator has not allowed, and on 1 April 2027 it turns EWS off "
          "for everyone. Move this step to Microsoft Graph (connection \"microsoft365\"); "
          "`rpa-host migrate BOT.json` rewrites a bot's EWS steps and lists the permissions to grant.";
}

std::string ews_refused_message(const std::string &server, const std::string &username, bool exchange_online,
                                EwsSignIn sign_in, const std::string &reason) {
   const std::string said = "HTTP 403 Forbidden" + (reason.empty() ? "" : "; " + reason);
   if (exchange_online)
      return "authentication failed: Exchange Online (" + server + ") refuses EWS for \"" + username +
             "\" (" + said +
             "): EWS is disabled for this tenant or this app. Since 1 October 2026 Exchange Online "
             "blocks EWS unless an administrator allowed the app (EWSEnabled, EWSAllowedAppIDs), and on "
             "1 April 2027 EWS ends for everyone. The fix: move this step to Microsoft Graph: " +
             move_to_graph(sign_in) + ", once an administrator grants " + graph_permission_for(sign_in) +
             ". `rpa-host migrate BOT.json` rewrites the bot's EWS steps.";
   return "authentication failed: " + server + " refuses EWS for \"" + username + "\" (" + said +
          "): EWS is turned off for this mailbox, this application or the organization (Exchange "
          "settings EwsEnabled, EwsApplicationAccessPolicy / EwsAllowList); ask the Exchange administrator. "
          "If the mailbox is in Exchange Online, move this step to Microsoft Graph instead: " +
          move_to_graph(sign_in) + ", with " + graph_permission_for(sign_in) + ".";
}

}  // namespace email
