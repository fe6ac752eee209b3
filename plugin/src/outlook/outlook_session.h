// OutlookSession: one Outlook connection: Outlook.Application reached through COM (started if it
// is not running), the MAPI namespace logged on to a profile, and the mailbox opened: the user's
// default store, another store of the profile, or a shared mailbox (GetSharedDefaultFolder). Every
// COM call runs on the session's STA thread (outlook/sta_thread.h) under the caller's CallContext.
// Closing releases the session's objects; Outlook itself keeps running (it is the user's). Windows
// only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mailbox/mailbox.h"
#include "net/call_context.h"
#include "outlook/sta_thread.h"
#include "properties/connect_request.h"

namespace email {

struct OutlookFacts {
   std::string version;       // Application.Version: "16.0.0.0"
   std::string profile;       // NameSpace.CurrentProfileName
   std::string user_name;     // CurrentUser.Name
   std::string user_address;  // CurrentUser.Address
   std::string mailbox;       // the store's display name or the shared mailbox's address
   bool shared = false;       // a mailbox opened with GetSharedDefaultFolder (its default folders only)
};

class OutlookSession {
 public:
   // Opens Outlook and the mailbox `target` names; warnings for the Connect result are appended to
   // `warnings`. Throws Failure (outlook/outlook_errors.h).
   OutlookSession(const OutlookTarget &target, CallContext &context, std::vector<std::string> &warnings);
   ~OutlookSession();
   OutlookSession(const OutlookSession &) = delete;
   OutlookSession &operator=(const OutlookSession &) = delete;

   const OutlookFacts &facts() const { return facts_; }
   // Every mail folder of the mailbox, with roles from its default folders.
   std::vector<FolderInfo> folders(CallContext &context);
   // Asks Outlook for its name: whether it still answers.
   void noop(CallContext &context);
   // Releases the session's Outlook objects on its thread and ends the thread.
   void close();

   struct State;

 private:
   StaThread sta_;
   std::shared_ptr<State> state_;
   OutlookFacts facts_;
};

}  // namespace email
