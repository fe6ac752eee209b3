// The EWS item operations the mailbox interface sends (learn.microsoft.com/exchange/client-
// developer/web-service-reference: FindItem, GetItem, UpdateItem, MoveItem, CopyItem, DeleteItem,
// CreateItem, and GetFolder for distinguished folders), built with pugixml.
#pragma once

#include <string>
#include <vector>

#include "ews/ews_soap.h"
#include "mailbox/mailbox.h"

namespace email::ews {

// GetFolder for several distinguished folders at once (one response message each, in order).
std::string get_distinguished_folders_request(const RequestHeader &header,
                                              const std::vector<const char *> &ids);

// FindItem, Shallow, IdOnly, in `folder_id`, one IndexedPageItemView page, sorted by
// DateTimeReceived. The restriction carries what EWS can filter on: IsRead, the flag status
// (PidTagFlagStatus 0x1090), DateTimeSent (since, before), Subject (Contains, substring, ignoring
// case) and HasAttachments.
std::string find_item_request(const RequestHeader &header, const std::string &folder_id,
                              const SearchQuery &query, unsigned offset, unsigned page_size);

// GetItem of `item_ids` with what a summary shows (subject, from/to/cc, DateTimeSent, size, IsRead,
// Flag, InternetMessageId, ParentFolderId, the attachments, and PidTagLastVerbExecuted 0x1081).
std::string get_item_summaries_request(const RequestHeader &header, const std::vector<std::string> &item_ids);
// GetItem of one item's MimeContent.
std::string get_item_mime_request(const RequestHeader &header, const std::string &item_id);
// GetItem of one item's id alone: does it exist?
std::string get_item_id_request(const RequestHeader &header, const std::string &item_id);
// UpdateItem (AlwaysOverwrite, SaveOnly) setting IsRead and/or the flag status.
std::string update_flags_request(const RequestHeader &header, const std::string &item_id, FlagChange seen,
                                 FlagChange flagged);
// UpdateItem (AlwaysOverwrite, SaveOnly) setting PidTagLastVerbExecuted (0x1081) and
// PidTagIconIndex (0x1080) as Outlook does when it replies or forwards.
std::string update_answered_request(const RequestHeader &header, const std::string &item_id, Answered how);
// MoveItem or CopyItem with ReturnNewItemIds.
std::string transfer_item_request(const RequestHeader &header, const std::string &item_id,
                                  const std::string &folder_id, bool copy);
// DeleteItem: MoveToDeletedItems, or HardDelete.
std::string delete_item_request(const RequestHeader &header, const std::string &item_id, bool hard);
// CreateItem (SaveOnly) of a message from its MIME in `folder_id`, marked read and not a draft
// (PidTagMessageFlags 0x0E07 = 1, MSGFLAG_READ).
std::string create_item_request(const RequestHeader &header, const std::string &folder_id,
                                std::string_view mime);

// SyncFolderItems (IdOnly, NormalItems) of the folder `folder_id` from `sync_state` ("" = from
// the folder's beginning), at most `most` changes (1-512).
std::string sync_folder_items_request(const RequestHeader &header, const std::string &folder_id,
                                      const std::string &sync_state, unsigned most);

}  // namespace email::ews
