// EwsMailbox: the mailbox interface (mailbox/mailbox.h) over Exchange Web Services.
//
// Folders are FindFolder's mail folders with FolderIds; roles come from one GetFolder of the
// distinguished folders (inbox, sentitems, drafts, deleteditems, junkemail; Archive by its name),
// asked only once a role is needed: a search, move or copy in a folder named by its path needs
// FindFolder alone (CachedFolderMailbox::folder_to_work_in). A search is
// FindItem (a restriction for seen, flagged, sent dates, subject and attachments; an
// IndexedPageItemView page) and one GetItem of the page for the summaries; "from" and "to" are
// matched here, on the decoded addresses, because EWS restrictions cannot search them. The raw
// message is GetItem's MimeContent, decoded from base64 in chunks to the sink. References are
// "ews:<ItemId>"; ItemIds change when an item moves, so move and copy return the new one.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "mailbox/cached_folder_mailbox.h"

namespace email {

class EwsClient;
struct EwsSubscription;

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

   // Streaming notifications of the folder (ews/ews_streaming.h): the session's subscription,
   // made or moved to this folder, and a GetStreamingEvents connection for up to `wait`. Null, with
   // a warning saying why, when the server refuses (then the wait polls, for 15 minutes).
   std::unique_ptr<ChangeListener> listen(const std::string &folder, std::chrono::milliseconds wait,
                                          std::chrono::milliseconds poll, CallContext &context) override;
   // Ends the kept subscription, if any (the session closes); a failure is only logged.
   void unsubscribe(CallContext &context);

 private:
   std::vector<FolderInfo> list_folders(CallContext &context) override;
   std::optional<std::vector<FolderInfo>> list_folder_paths(CallContext &context) override;
   std::optional<FolderInfo> find_role_folder(const std::string &role, CallContext &context) override;
   std::string item_of(const std::string &ref) const;  // throws invalid_properties
   std::string transfer(const std::string &ref, const std::string &folder, bool copy, CallContext &context);

   // SyncFolderItems from `state` until the folder's last change, or until `wanted` new items (all
   // when 0); appends the new ItemIds to `created` and returns the SyncState after them.
   std::string sync(const FolderInfo &where, std::string state, std::size_t wanted,
                    std::vector<std::string> &created, CallContext &context);

   EwsClient &client_;
   std::shared_ptr<EwsSubscription> subscription_;
   std::chrono::steady_clock::time_point poll_until_{};  // streaming refused: poll until then
};

}  // namespace email
