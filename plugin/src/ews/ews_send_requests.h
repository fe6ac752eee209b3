// The EWS requests that send a message (learn.microsoft.com/exchange/client-developer/
// web-service-reference: CreateItem, SendItem), built with pugixml. The message goes as its MIME
// (t:MimeContent, base64); its blind copies go as t:BccRecipients after it (the schema's order:
// ItemType's MimeContent first, MessageType's recipients after), since what the composer sends
// has no Bcc field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ews/ews_soap.h"

namespace email::ews {

// CreateItem that sends: MessageDisposition SendAndSaveCopy with SavedItemFolderId the
// distinguished "sentitems" (of header.delegate_mailbox when set) when `keep_copy`, else SendOnly
// (no copy anywhere; not for delegate access, see draft_request).
std::string send_message_request(const RequestHeader &header, std::string_view mime,
                                 const std::vector<std::string> &bcc, bool keep_copy);

// CreateItem (SaveOnly) of an unsent draft (PidTagMessageFlags 0x0E07 = MSGFLAG_UNSENT) in the
// distinguished "drafts" folder (of header.delegate_mailbox when set): the documented way to send
// from another mailbox without a copy ("CreateItem does not support delegate access when the
// SendOnly option is used ... create the item ... and then use the SendItem operation").
std::string draft_request(const RequestHeader &header, std::string_view mime,
                          const std::vector<std::string> &bcc);

// SendItem of a saved draft, SaveItemToFolder false (no copy). SendItem writes: it needs the
// ChangeKey that CreateItem returned.
std::string send_item_request(const RequestHeader &header, const std::string &item_id,
                              const std::string &change_key);

}  // namespace email::ews
