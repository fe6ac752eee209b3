// What Outlook's object model lets a program set on a new mail item, read from an RFC 822 message
// by GMime: the plugin's messages reach Outlook this way when stored (append: Items.Add, Save) and
// when sent (MailItem.Send, outlook/outlook_sender.h). Outlook takes no MIME from a program, so
// the message is taken apart into the item's properties:
//
//   Subject, To, CC, BCC       the decoded fields ("Name <address>; ...", as those properties take them)
//   ReplyRecipients            Reply-To's addresses
//   Body, HTMLBody             the first text/plain and text/html bodies
//   Attachments.Add            each attachment (mime/attachment_rule.h) and each inline part with a
//                              Content-ID (an image the HTML shows), decoded into a file of
//                              `directory`; the inline ones get PR_ATTACH_CONTENT_ID
//   Importance                 the Importance field, else X-Priority (1-2 high, 4-5 low)
//   PropertyAccessor           Message-ID, In-Reply-To and References (PR_INTERNET_MESSAGE_ID,
//                              PR_IN_REPLY_TO_ID, PR_INTERNET_REFERENCES)
// Platform-neutral (tested on Linux).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mailbox/mailbox.h"
#include "mime/message_file.h"
#include "util/files.h"

namespace email {

struct OutlookNewAttachment {
   std::string file;        // the decoded bytes (UTF-8 path)
   std::string name;        // Attachment's DisplayName
   std::string content_id;  // without <>; "" for an ordinary attachment
};

struct OutlookNewItem {
   std::string subject;
   std::string to, cc, bcc;
   std::vector<std::string> reply_to;  // addresses
   std::string from;                   // the From address, "" when none
   std::optional<std::string> text, html;
   std::vector<OutlookNewAttachment> attachments;
   long importance = 1;  // olImportanceLow 0, olImportanceNormal 1, olImportanceHigh 2
   std::string message_id, in_reply_to, references;  // as the fields carry them ("" = none)
};

// A private directory for the files Outlook is given (Failure internal when none can be made).
std::shared_ptr<PrivateDirectory> outlook_private_directory();

// Outlook's To, CC and BCC properties: "Name <address>; ...".
std::string outlook_address_line(const std::vector<MailAddress> &addresses);

// The item `message` makes, its parts written into `directory`. Throws Failure (internal) when a
// file cannot be written.
OutlookNewItem outlook_new_item(const mime::MessageFile &message, const PrivateDirectory &directory);

}  // namespace email
