// The Outlook objects one session holds, touched only on the session's STA thread
// (outlook/sta_thread.h): they belong to that apartment. Windows only.
#pragma once

#include <memory>
#include <string>

#include "outlook/com_dispatch.h"
#include "outlook/item_add_events.h"

namespace email {

struct OutlookState {
   com::Object application, mapi;
   com::Object store;      // the store (not for a shared mailbox)
   com::Object root;       // its root folder (not for a shared mailbox)
   com::Object recipient;  // the shared mailbox's owner (GetSharedDefaultFolder)
   std::string store_id;   // the StoreID of the mailbox's folders (GetFolderFromID, GetItemFromID)
   bool shared = false;
   std::unique_ptr<ItemAddEvents> item_add;  // a wait's ItemAdd advice (outlook/outlook_arrivals.h), or null

   // The mailbox's default folder `number` (olFolderInbox 6, olFolderDeletedItems 3, ...).
   com::Object default_folder(long number) const;
};

}  // namespace email
