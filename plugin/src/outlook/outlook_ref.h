// A message reference of the Outlook connection: the item's EntryID and its store's StoreID, which
// Outlook promises stable for an item as long as it stays in its store (NameSpace.GetItemFromID
// takes both). Both are hex strings as Outlook gives them:
//
//   "outlook:<EntryID>:<StoreID>"
//
// Platform-neutral text handling, so the unit tests and the fuzzer run it on Linux.
#pragma once

#include <optional>
#include <string>

namespace email {

struct OutlookRef {
   std::string entry_id;
   std::string store_id;
};

std::string make_outlook_ref(const std::string &entry_id, const std::string &store_id);

// The ids of `ref`, or nullopt when it is not one of make_outlook_ref's (another backend's, empty
// parts, anything but hex digits, an id longer than kMaxOutlookIdLength).
std::optional<OutlookRef> parse_outlook_ref(const std::string &ref);

inline constexpr std::size_t kMaxOutlookIdLength = 4096;

}  // namespace email
