// What EWS response codes mean to a bot designer: the one table, used for SOAP faults and for
// error response messages alike.
#pragma once

#include <string>

namespace email {

enum class EwsErrorKind {
   server_busy,    // ErrorServerBusy: wait BackOffMilliseconds and retry
   no_mailbox,     // the username names no mailbox -> invalid_properties
   access_denied,  // signed in, but the account may not open the mailbox -> authentication_failed
   no_item,        // ErrorItemNotFound, ErrorInvalidIdMalformed, ... -> message_not_found
   no_folder,      // ErrorFolderNotFound, ErrorParentFolderNotFound -> folder_not_found
   sync_state,     // ErrorInvalidSyncStateData: a SyncFolderItems state the server no longer takes
   other,          // anything else -> protocol_error with the server's text
};

// ErrorServerBusy -> server_busy; ErrorNonExistentMailbox, ErrorMailboxNotFound -> no_mailbox;
// ErrorAccessDenied, ErrorImpersonateUserDenied, ErrorImpersonationDenied -> access_denied;
// ErrorInvalidSyncStateData -> sync_state.
EwsErrorKind classify_ews_error(const std::string &response_code);

}  // namespace email
