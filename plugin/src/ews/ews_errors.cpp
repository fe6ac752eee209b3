#include "ews/ews_errors.h"

namespace email {

EwsErrorKind classify_ews_error(const std::string &code) {
   static const struct {
      const char *code;
      EwsErrorKind kind;
   } kTable[] = {
       {"ErrorServerBusy", EwsErrorKind::server_busy},
       {"ErrorNonExistentMailbox", EwsErrorKind::no_mailbox},
       {"ErrorMailboxNotFound", EwsErrorKind::no_mailbox},
       {"ErrorAccessDenied", EwsErrorKind::access_denied},
       {"ErrorImpersonateUserDenied", EwsErrorKind::access_denied},
       {"ErrorImpersonationDenied", EwsErrorKind::access_denied},
       {"ErrorItemNotFound", EwsErrorKind::no_item},
       {"ErrorInvalidIdMalformed", EwsErrorKind::no_item},
       {"ErrorInvalidIdNotAnItemAttachmentId", EwsErrorKind::no_item},
       {"ErrorFolderNotFound", EwsErrorKind::no_folder},
       {"ErrorParentFolderNotFound", EwsErrorKind::no_folder},
       {"ErrorInvalidSyncStateData", EwsErrorKind::sync_state},
   };
   for (const auto &entry : kTable)
      if (code == entry.code) return entry.kind;
   return EwsErrorKind::other;
}

}  // namespace email
