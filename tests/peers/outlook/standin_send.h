// What the stand-in does when a program sends (Microsoft's Outlook VBA reference: MailItem.Send,
// MailItem.ReplyRecipients, Recipients.Add). Outlook hands the message to its transport and
// files the item in Sent Items, or drops it when DeleteAfterSubmit is set; the stand-in has no
// transport, so it writes what it would hand over as one JSON line to the file
// RPA_OUTLOOK_STANDIN_OUTBOX names (when set): subject, from (the user, or SentOnBehalfOfName),
// to, cc, bcc, reply_to, importance, body, html, message_id, in_reply_to, references, and each
// attachment's name, size and content_id, with its bytes in hex. Send is a protected member (the
// object model guard), refuses an item without recipients and a recipient that is no address
// ("Outlook does not recognize one or more names"), and leaves the item unusable, as Outlook does.
#pragma once

#include <memory>

#include "dispatch_object.h"
#include "standin_mail.h"

namespace standin {

void send_message(const std::shared_ptr<MessageNode> &message);

// MailItem.ReplyRecipients: Add(address) and Count.
DispatchObject *new_reply_recipients(std::shared_ptr<MessageNode> message);

}  // namespace standin
