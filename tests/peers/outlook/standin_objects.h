// The stand-in's Outlook objects, each with the members of Microsoft's Outlook VBA reference
// (learn.microsoft.com/office/vba/api/overview/outlook/object-model) that the plugin uses, and no
// others: Application, NameSpace, Recipient, Stores, Store, Folders, Folder.
#pragma once

#include "dispatch_object.h"

namespace standin {

// A new Application object (what CoCreateInstance of Outlook.Application gives), one reference.
DispatchObject *new_application();

}  // namespace standin
