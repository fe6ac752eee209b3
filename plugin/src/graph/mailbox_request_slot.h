// MailboxRequestSlot: at most four Microsoft Graph requests in flight per app per mailbox, across
// every session of the process. Outlook's service limits allow 4 concurrent requests per app ID
// per mailbox and answer a 5th with 429 (MailboxConcurrency), so bots that open several sessions
// on one shared mailbox would otherwise throttle themselves.
//
//   {
//      MailboxRequestSlot slot(key, context);  // waits for a free slot
//      response = http.send(...);
//   }                                          // the slot is free again
//
// `key` names the (Graph endpoint, app, mailbox) triple. A JSON batch, whose requests Graph runs at
// the same time, holds one slot for each (`slots`, at most kSlotsPerMailbox). Waiting goes through `context`: it ends
// with Failure(timeout) or Failure(cancelled) like any other wait.
#pragma once

#include <memory>
#include <string>

#include "net/call_context.h"

namespace email {

class MailboxRequestSlot {
 public:
   static constexpr int kSlotsPerMailbox = 4;

   MailboxRequestSlot(const std::string &key, const CallContext &context, int slots = 1);
   ~MailboxRequestSlot();
   MailboxRequestSlot(const MailboxRequestSlot &) = delete;
   MailboxRequestSlot &operator=(const MailboxRequestSlot &) = delete;

   struct Gate;

 private:
   std::shared_ptr<Gate> gate_;
   int slots_;
};

}  // namespace email
