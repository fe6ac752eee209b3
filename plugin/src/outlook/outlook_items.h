// The messages of an Outlook mailbox through Outlook's object model, as the mailbox interface
// (mailbox/mailbox.h) needs them. Each function runs on the session's STA thread with its objects
// (OutlookSession::run) and throws Failure (outlook/outlook_errors.h; message_not_found for an
// EntryID Outlook no longer knows). Windows only.
//
//   search     Folder.Items, Restrict with the DASL filter of outlook/outlook_filter.h, Sort by
//              ReceivedTime; the cursor is the position in that sorted list
//   content    what outlook/outlook_mime.h builds the RFC 822 message from: transport headers,
//              bodies, and each attachment saved (Attachment.SaveAsFile) into `directory`
//   changes    UnRead; MarkAsTask(olMarkNoDate) / ClearTaskFlag; Move; Copy then Move; Delete
//              (into Deleted Items; from there, for good); Items.Add, outlook/outlook_compose.h's fill_item and Save for append
#pragma once

#include <string>
#include <vector>

#include "mailbox/mailbox.h"
#include "outlook/outlook_mime.h"
#include "outlook/outlook_new_item.h"
#include "outlook/outlook_ref.h"
#include "outlook/outlook_state.h"
#include "util/files.h"

namespace email::outlook_items {

SearchPage search(OutlookState &state, const FolderInfo &folder, const SearchQuery &query);

OutlookItemContent content(OutlookState &state, const OutlookRef &ref, const PrivateDirectory &directory);

void set_flags(OutlookState &state, const OutlookRef &ref, FlagChange seen, FlagChange flagged);

// PidTagLastVerbExecuted and PidTagIconIndex through PropertyAccessor, then Save: Outlook shows
// the replied or forwarded icon.
void mark_answered(OutlookState &state, const OutlookRef &ref, Answered how);

// Moves (or copies) the item into the folder with EntryID `folder_id`; returns the new reference.
std::string transfer(OutlookState &state, const OutlookRef &ref, const std::string &folder_id, bool copy);

// Returns what happened, in a sentence.
std::string remove(OutlookState &state, const OutlookRef &ref, bool permanently);

// Saves `item` into the folder with EntryID `folder_id`; returns its reference.
std::string add(OutlookState &state, const std::string &folder_id, const OutlookNewItem &item);

}  // namespace email::outlook_items
