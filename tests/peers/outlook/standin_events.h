// The stand-in's ItemsEvents (Microsoft's "Items.ItemAdd event (Outlook)"; the dispinterface
// ItemsEvents, DIID {00063077-0000-0000-C000-000000000046}, ItemAdd DISPID 0xF001): a folder's
// Items answer IConnectionPointContainer, whose one connection point takes sinks with Advise and
// lets them go with Unadvise. After an item is stored in a folder (saved, moved or copied in,
// delivered), every sink advised on that folder is told ItemAdd with the item as its argument:
// from the message loop once the call that stored it has returned, as Outlook tells it later.
//
// RPA_OUTLOOK_STANDIN_MODE "no-events": Items answer E_NOINTERFACE for IConnectionPointContainer.
// RPA_OUTLOOK_STANDIN_DELIVER "<seconds>|<.eml file>": that many seconds after a client first asks
// a folder's Items for their events (offered or not), the message is delivered into that folder
// (received now), as new mail arrives in Outlook.
#pragma once

#include <windows.h>
#include <oleauto.h>

#include <memory>

#include "standin_mail.h"

namespace standin {

// QueryInterface of a folder's Items (`owner`) for IConnectionPointContainer.
HRESULT offer_items_events(FolderNode &folder, IDispatch *owner, void **object);

// Tells the sinks of message->folder, later, that the message was stored there.
void item_added(const std::shared_ptr<MessageNode> &message);

}  // namespace standin
