// A wait for new mail on an Outlook session (Mailbox::arrivals, Mailbox::listen), on the session's
// STA thread with its objects (OutlookSession::run):
//
//   look     Folder.Items, Restrict by the wait's filter and by "datereceived" from a minute
//            before the cursor's second (Outlook's Restrict may drop the seconds), Sort by
//            ReceivedTime oldest first; the items after the cursor (outlook/outlook_cursor.h),
//            at most Arrivals::kMostAtOnce. From now: the cursor of the newest item received.
//   listen   Items.ItemAdd on the folder (outlook/item_add_events.h): it rings the wait's signal,
//            which only says when to look; the look above finds what is new.
//
// Windows only.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "mailbox/mailbox.h"
#include "mailbox/signalled_listener.h"
#include "outlook/outlook_cursor.h"
#include "outlook/outlook_state.h"

namespace email::outlook_items {

// What came after `cursor` (nullopt: from now). Throws Failure (outlook/outlook_errors.h).
Arrivals arrivals(OutlookState &state, const FolderInfo &folder, const std::optional<OutlookCursor> &cursor,
                  const SearchQuery &filter);

// Rings `signal` when Outlook adds an item to `folder` (the folder's EntryID). Returns "" when
// Outlook will tell, else what it answered instead (a wait then polls, saying so).
std::string listen(OutlookState &state, const std::string &folder_id, std::shared_ptr<ChangeSignal> signal);

}  // namespace email::outlook_items
