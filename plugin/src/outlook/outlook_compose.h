// New mail items through Outlook's object model (Microsoft's Outlook VBA reference: MailItem,
// Attachments.Add, PropertyAccessor.SetProperty, MailItem.Send), from what outlook/outlook_new_item.h
// read out of a message. Each function runs on the session's STA thread (OutlookSession::run)
// and throws Failure (outlook/outlook_errors.h). Windows only.
#pragma once

#include <string>

#include "outlook/outlook_new_item.h"
#include "outlook/outlook_state.h"

namespace email::outlook_items {

// Sets every property of `item` (a new MailItem) that `message` has: Subject, To, CC, BCC,
// ReplyRecipients, Body and HTMLBody, Importance, the attachments (the inline ones with
// PR_ATTACH_CONTENT_ID, so the HTML shows them), and Message-ID, In-Reply-To and References
// through PropertyAccessor (best effort: a store that will not take one keeps its own).
void fill_item(const com::Object &item, const OutlookNewItem &message);

// Sends `message`: Application.CreateItem(olMailItem), fill_item, SentOnBehalfOfName when
// `on_behalf_of` is set (another mailbox's address: Exchange checks Send As / Send on Behalf when
// it takes the message), DeleteAfterSubmit when no copy is wanted (else Outlook files one in Sent
// Items), then Send: the message goes to the Outbox and out with Outlook's next send.
void send(OutlookState &state, const OutlookNewItem &message, const std::string &on_behalf_of,
          bool keep_copy);

}  // namespace email::outlook_items
