// The cursor of a wait for new mail on an Outlook session (Mailbox::arrivals): where the items
// seen so far end in the order Outlook receives them. Outlook keeps no counter that grows with each
// new item, so the cursor is the newest ReceivedTime seen (seconds since 1970, UTC) and the items
// received in that very second that were seen, each by a 48-bit hash of its EntryID (short: no
// Outlook ids in the bot's variables):
//
//   "outlook1:<seconds>"   "outlook1:<seconds>:<hash>,<hash>,..."
//
// An item is new when Outlook received it in a later second, or in that second and it is not named.
// An item moved into the folder keeps the time it was received, so it is not new mail. Seconds 0
// is the cursor of an empty folder: everything that comes is new. Platform-neutral (unit tests and
// the fuzzer on Linux).
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

namespace email {

class OutlookCursor {
 public:
   // Items of one second a cursor may name; an item past them moves the cursor to the next second.
   static constexpr std::size_t kMostNamed = 1000;

   OutlookCursor() = default;
   // Throws Failure(invalid_properties) for text that is not an Outlook wait's cursor.
   static OutlookCursor parse(const std::string &text);
   std::string text() const;

   std::int64_t received() const { return received_; }
   // Whether the item received at `received` (seconds) with `entry_id` came after the cursor.
   bool is_new(std::int64_t received, const std::string &entry_id) const;
   // Moves the cursor past that item (items passed oldest first).
   void pass(std::int64_t received, const std::string &entry_id);

 private:
   std::int64_t received_ = 0;
   std::set<std::string> named_;  // hashes of the EntryIDs received in that second
};

}  // namespace email
