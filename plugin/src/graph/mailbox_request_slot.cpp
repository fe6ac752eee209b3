#include "graph/mailbox_request_slot.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>

namespace email {

struct MailboxRequestSlot::Gate {
   std::mutex mutex;
   std::condition_variable freed;
   int in_flight = 0;
};

namespace {

std::mutex registry_mutex;
// Gates live while a request holds them; the map only remembers them.
// (No request is in flight when the library unloads: sessions close before the plugin's deinit.)
std::map<std::string, std::weak_ptr<MailboxRequestSlot::Gate>> &registry() {
   static std::map<std::string, std::weak_ptr<MailboxRequestSlot::Gate>> gates;
   return gates;
}

std::shared_ptr<MailboxRequestSlot::Gate> gate_for(const std::string &key) {
   std::lock_guard<std::mutex> lock(registry_mutex);
   auto &gates = registry();
   std::shared_ptr<MailboxRequestSlot::Gate> gate = gates[key].lock();
   if (!gate) {
      for (auto it = gates.begin(); it != gates.end();)
         it = it->second.expired() ? gates.erase(it) : std::next(it);
      gate = std::make_shared<MailboxRequestSlot::Gate>();
      gates[key] = gate;
   }
   return gate;
}

}  // namespace

MailboxRequestSlot::MailboxRequestSlot(const std::string &key, const CallContext &context, int slots)
    : gate_(gate_for(key)), slots_(std::clamp(slots, 1, kSlotsPerMailbox)) {
   std::unique_lock<std::mutex> lock(gate_->mutex);
   while (gate_->in_flight + slots_ > kSlotsPerMailbox)
      gate_->freed.wait_for(
          lock, std::chrono::milliseconds(context.next_wait_ms(
                    "a free request slot (Microsoft Graph allows 4 concurrent requests per mailbox)")));
   gate_->in_flight += slots_;
}

MailboxRequestSlot::~MailboxRequestSlot() {
   {
      std::lock_guard<std::mutex> lock(gate_->mutex);
      gate_->in_flight -= slots_;
   }
   gate_->freed.notify_all();
}

}  // namespace email
