// ItemAddEvents: Outlook's Items.ItemAdd event on one folder (the ItemsEvents dispinterface,
// DIID {00063077-0000-0000-C000-000000000046}, ItemAdd DISPID 0xF001, as Outlook's type library and
// Microsoft's "Items.ItemAdd event (Outlook)" define it), through the folder's Items' connection
// point, the way every COM client is told of events: IConnectionPointContainer::FindConnectionPoint,
// then Advise with a sink of ours (an IDispatch that answers that DIID too).
//
// It belongs to the session's STA thread (OutlookState): Outlook calls the sink there, in the
// thread's message loop, and the sink rings the ChangeSignal of the wait in progress
// (mailbox/signalled_listener.h). It stays advised from wait to wait and is moved to another
// folder when a wait asks for one; the session's end unadvises it. The Items object is kept as
// long as the advice: Outlook stops telling when it is released. Windows only.
#pragma once

#include <winsock2.h>  // before windows.h, as the sockets of mailbox/signalled_listener.h need
#include <windows.h>
#include <ocidl.h>

#include <memory>
#include <string>

#include "mailbox/signalled_listener.h"
#include "outlook/com_dispatch.h"

namespace email {

class ItemAddSink;

class ItemAddEvents {
 public:
   ItemAddEvents() = default;
   ~ItemAddEvents();  // unadvises
   ItemAddEvents(const ItemAddEvents &) = delete;
   ItemAddEvents &operator=(const ItemAddEvents &) = delete;

   // When the folder with EntryID `folder_id` is advised already, rings `signal` from now on and
   // returns true, without a call to Outlook; false otherwise (then listen()).
   bool retarget(const std::string &folder_id, std::shared_ptr<ChangeSignal> &signal);
   // Rings `signal` whenever Outlook adds an item to the folder with EntryID `folder_id`, whose
   // Items are `items`: advises anew (the folder advised before, if any, is unadvised). Throws
   // com::Error when the Items offer no ItemsEvents or Advise is refused.
   void listen(const std::string &folder_id, const com::Object &items, std::shared_ptr<ChangeSignal> signal);

 private:
   void unadvise();
   std::string folder_id_;
   com::Object items_;
   IConnectionPoint *point_ = nullptr;
   DWORD cookie_ = 0;
   ItemAddSink *sink_ = nullptr;  // one reference of ours
};

}  // namespace email
