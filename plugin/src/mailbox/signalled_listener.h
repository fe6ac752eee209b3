// SignalledListener: a ChangeListener (mailbox/mailbox.h) for a service that tells of new mail on a
// thread of its own rather than on a connection the wait reads: Outlook's Items.ItemAdd event,
// which arrives on the session's STA thread. That thread rings a ChangeSignal; the wait sleeps on
// the signal's socket and on the context's alarm at once (one poll, no timer), so it wakes when
// told, when cancelled, or when its time is up. Platform-neutral.
//
// The signal only says when to look: the look finds what is new by its cursor. A service that may
// fail to tell (Outlook does not fire ItemAdd for more than 16 items at once) is still looked at
// every `poll` of the wait.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "mailbox/mailbox.h"
#include "net/wakeup.h"

namespace email {

// Rung by the thread that is told (any thread, any number of times); read by one waiting thread.
class ChangeSignal {
 public:
   void ring() {
      told_ = true;
      wakeup_.signal();
   }
   // Whether it rang since the last take() (and forgets it).
   bool take() { return told_.exchange(false); }
   Wakeup &wakeup() { return wakeup_; }

 private:
   std::atomic<bool> told_{false};
   Wakeup wakeup_;
};

class SignalledListener final : public ChangeListener {
 public:
   // `who` names the teller in timeouts' messages ("Outlook's ItemAdd event").
   SignalledListener(std::shared_ptr<ChangeSignal> signal, std::string who)
       : signal_(std::move(signal)), who_(std::move(who)) {}

   // True once rung (a ring before the wait counts), false after min(wait, poll) or when `stop`
   // says so. Throws Failure(cancelled) when the host cancels.
   bool wait(std::chrono::milliseconds wait, std::chrono::milliseconds poll,
             const std::function<bool()> &stop, CallContext &context) override;
   bool open() const override { return true; }
   TransportStats stats() const override { return {}; }  // no connection of its own

 private:
   std::shared_ptr<ChangeSignal> signal_;
   std::string who_;
};

}  // namespace email
