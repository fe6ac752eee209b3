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
#include "outlook/outlook_state.h"
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

   // Runs `work(OutlookState &)` on the session's STA thread under `context` (StaThread::run);
   // `work` must own what it uses. Throws session_not_found once the session is closed.
   template <class Work>
   auto run(CallContext &context, const char *waiting_for, Work work) {
      auto state = state_;
      if (!state) throw_closed();
      return sta_.run(context, waiting_for,
                      [state, work = std::move(work)]() mutable { return work(*state); });
   }

 private:
   [[noreturn]] static void throw_closed();
   StaThread sta_;
   std::shared_ptr<OutlookState> state_;
   OutlookFacts facts_;
};

}  // namespace email
