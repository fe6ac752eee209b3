// The stand-in's Outlook objects, each with the members of Microsoft's Outlook VBA reference
// (learn.microsoft.com/office/vba/api/overview/outlook/object-model) that the plugin uses, and no
// others: Application, NameSpace, Recipient, Stores, Store, Folders, Folder (standin_objects.cpp);
// Items, MailItem, Recipients, Attachments, Attachment, PropertyAccessor (standin_items.cpp);
// MailItem.Send and ReplyRecipients (standin_send.cpp).
#pragma once

#include <memory>

#include "dispatch_object.h"
#include "standin_mail.h"

namespace standin {

// A new Application object (what CoCreateInstance of Outlook.Application gives), one reference.
DispatchObject *new_application();

DispatchObject *new_folder(FolderNode &folder);
// The stand-in's own folder behind `given` (a Folder passed back as an argument), or null.
FolderNode *folder_of(IDispatch *given);

DispatchObject *new_items(FolderNode &folder);
DispatchObject *new_mail_item(std::shared_ptr<MessageNode> message);

}  // namespace standin
