// outlook/outlook_backend.h off Windows: Outlook's object model exists only there.
#include "outlook/outlook_backend.h"

#include "util/failure.h"

namespace email {

void require_classic_outlook() {
   throw Failure(
       RPA_UNSUPPORTED,
       "connection \"outlook\" drives classic desktop Microsoft Outlook, which needs a Windows bot "
       "runner; this host is not running on Windows. Use \"microsoft365\" (Exchange Online) or \"ews\" "
       "(Exchange Server) with the same account, or \"email_server\" (IMAP/POP3)");
}

OpenedMailbox open_outlook(const OutlookTarget &, CallContext &) {
   require_classic_outlook();
   return {};
}

}  // namespace email
