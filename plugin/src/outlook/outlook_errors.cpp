#include "outlook/outlook_errors.h"

#include <cstdio>

#include "util/text.h"

namespace email {

std::string hresult_text(HRESULT hr) {
   char text[16];
   std::snprintf(text, sizeof text, "0x%08lX", static_cast<unsigned long>(hr));
   return text;
}

bool is_guard_refusal(const com::Error &error) {
   return error.hr() == E_ACCESSDENIED || error.hr() == outlook_hr::kMapiNotSupported;
}

Failure outlook_failure(const com::Error &error, const std::string &doing) {
   const std::string said =
       printable(error.description(), 300) + " (" + error.member() + ", " + hresult_text(error.hr()) + ")";
   if (com::is_busy(error.hr()))
      return Failure(RPA_TIMEOUT,
                     "Outlook stayed busy and refused calls until timeout_seconds passed while " + doing +
                         ": a dialog box is probably open in Outlook (close it, or raise "
                         "timeout_seconds) (" +
                         hresult_text(error.hr()) + ")");
   if (is_guard_refusal(error))
      return Failure(RPA_AUTHENTICATION_FAILED,
                     "Outlook refused this program access to its data while " + doing +
                         " (the object model guard): Outlook lets programs in without asking only when an "
                         "up-to-date antivirus is running; otherwise an administrator sets File > Options > "
                         "Trust Center > Trust Center Settings > Programmatic Access, or the group policy "
                         "\"Configure Outlook object model prompt\", to allow it. Outlook said: " +
                         said);
   switch (error.hr()) {
   case CO_E_SERVER_EXEC_FAILURE:
      return Failure(RPA_CONNECTION_FAILED,
                     "Outlook did not start for automation while " + doing +
                         " (CO_E_SERVER_EXEC_FAILURE): Outlook and the bot must run at the same privilege "
                         "level, both as administrator or neither, and Outlook must be able to start (no "
                         "first-run dialog waiting)");
   case REGDB_E_CLASSNOTREG:
   case CO_E_CLASSSTRING:
   case CO_E_APPNOTFOUND:
      return Failure(RPA_UNSUPPORTED,
                     "classic Outlook is not installed on this machine (" + said +
                         "); \"microsoft365\" or \"ews\" reach the same mailbox without Outlook");
   case RPC_E_DISCONNECTED:
   case RPC_E_SERVERFAULT:
   case static_cast<HRESULT>(0x800706BA):  // RPC_S_SERVER_UNAVAILABLE
   case static_cast<HRESULT>(0x800706BE):  // RPC_S_CALL_FAILED
      return Failure(RPA_CONNECTION_FAILED, "Outlook closed or stopped answering while " + doing + " (" +
                                                said + "); connect again once Outlook runs");
   default: return Failure(RPA_PROTOCOL_ERROR, "Outlook failed while " + doing + ": " + said);
   }
}

}  // namespace email
