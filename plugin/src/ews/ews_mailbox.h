// EwsMailbox: the mailbox interface (mailbox/mailbox.h) over Exchange Web Services.
//
// Folders are FindFolder's mail folders with FolderIds; roles come from one GetFolder of the
// distinguished folders (inbox, sentitems, drafts, deleteditems, junkemail; Archive by its name). A search is
// FindItem (a restriction for seen, flagged, sent dates, subject and attachments; an
// IndexedPageItemView page) and one GetItem of the page for the summaries; "from" and "to" are
// matched here, on the decoded addresses, because EWS restrictions cannot search them. The raw
// message is GetItem's MimeContent, decoded from base64 in chunks to the sink. References are
// "ews:<ItemId>"; ItemIds change when an item moves, so move and copy return the new one.
#pragma once

#include <string>
#include <vector>

#include "mailbox/cached_folder_mailbox.h"

namespace email {

class EwsClient;

class EwsMailbox final : public CachedFolderMailbox {
 public:
   explicit EwsMailbox(EwsClient &client) : client_(client) {}

   SearchPage search(const std::string &folder, const SearchQuery &query, CallContext &context) override;
   void fetch_raw(const std::string &ref, const ByteSink &sink, CallContext &context) override;
   void set_flags(const std::string &ref, FlagChange seen, FlagChange flagged, CallContext &context) override;
   void mark_answered(const std::string &ref, Answered how, CallContext &context) override;
   std::string move(const std::string &ref, const std::string &folder, CallContext &context) override;
   std::string copy(const std::string &ref, const std::string &folder, CallContext &context) override;
   std::string delete_message(const std::string &ref, bool permanently, CallContext &context) override;
   Appended append(const std::string &folder, std::string_view message, CallContext &context) override;
   // SyncFolderItems' Create changes since the cursor "ews1:<folder's short hash>:<SyncState>"
   // (ews/ews_arrivals.cpp), polled every 60 s unless the wait says otherwise; a SyncState Exchange
   // refuses (ErrorInvalidSyncStateData) gives cursor_reset. "From now" syncs the folder from its
   // beginning once (IdOnly, 512 items a request): a bot keeps the cursor rather than start anew.
   Arrivals arrivals(const std::string &folder, const std::string &cursor, const SearchQuery &filter,
                     CallContext &context) override;

 private:
   std::vector<FolderInfo> list_folders(CallContext &context) override;
   std::string item_of(const std::string &ref) const;  // throws invalid_properties
   std::string transfer(const std::string &ref, const std::string &folder, bool copy, CallContext &context);

   // SyncFolderItems from `state` until the folder's last change, or until `wanted` new items (all
   // when 0); appends the new ItemIds to `created` and returns the SyncState after them.
   std::string sync(const FolderInfo &where, std::string state, std::size_t wanted,
                    std::vector<std::string> &created, CallContext &context);

   EwsClient &client_;
};

}  // namespace email
