// GraphMailbox: the mailbox interface (mailbox/mailbox.h) over Microsoft Graph.
//
// Folders are GraphClient's mailFolders with their immutable ids; roles come from GETs of the
// well-known names (inbox, sentitems, drafts, deleteditems, junkemail, archive), once per session
// and only once a role is needed: a search, move or copy in a folder named by its path needs the
// folder list alone (CachedFolderMailbox::folder_to_work_in).
// A first search in a folder named by its role (nothing listed yet) asks for the well-known
// folder, msgfolderroot and the first page (`mailFolders/inbox/messages...`) in one JSON batch:
// one round trip. A search is otherwise one GET of `mailFolders/{id}/messages` with $filter (isRead, flag/flagStatus,
// sentDateTime ge/lt, hasAttachments, contains(subject, ...)), $orderby receivedDateTime,
// $top, $count, $select of the summary's fields and $expand of the attachments and
// PidTagMessageSize, then Graph's pages as it hands them out (@odata.nextLink, through
// GraphClient::get_page); "from" and "to" are matched here, on the decoded addresses, so a page
// may end inside one of Graph's: the cursor is "graph:<read>:<that page's link>". The raw
// message is `messages/{id}/$value`. References are "graph:<immutable id>".
// Changes: PATCH isRead and flag; POST move and copy (the answer carries the new id); delete =
// move to Deleted Items, or POST permanentDelete (asked, or already there); append = POST the
// base64 MIME to the folder's messages, then PATCH isRead.
#pragma once

#include <string>
#include <vector>

#include "mailbox/cached_folder_mailbox.h"

namespace email {

class GraphClient;

class GraphMailbox final : public CachedFolderMailbox {
 public:
   explicit GraphMailbox(GraphClient &client) : client_(client) {}

   SearchPage search(const std::string &folder, const SearchQuery &query, CallContext &context) override;
   void fetch_raw(const std::string &ref, const ByteSink &sink, CallContext &context) override;
   void set_flags(const std::string &ref, FlagChange seen, FlagChange flagged, CallContext &context) override;
   // PATCH of singleValueExtendedProperties PidTagLastVerbExecuted and PidTagIconIndex.
   void mark_answered(const std::string &ref, Answered how, CallContext &context) override;
   std::string move(const std::string &ref, const std::string &folder, CallContext &context) override;
   std::string copy(const std::string &ref, const std::string &folder, CallContext &context) override;
   std::string delete_message(const std::string &ref, bool permanently, CallContext &context) override;
   Appended append(const std::string &folder, std::string_view message, CallContext &context) override;
   // Polled (every 30 s unless the wait says otherwise): change notifications need a public
   // HTTPS endpoint for Graph to call, which a bot runner does not have.
   MailboxCapabilities capabilities() const override;
   // A delta round on the folder's messages, created ones only (graph/graph_arrivals.cpp). The
   // cursor is "graph1:<folder's short hash>:<entries of the page taken>:<deltaLink or nextLink>";
   // "from now" starts a round at the folder's newest receivedDateTime (the server's clock, not
   // ours), so a message moved in with an older one is not new mail. A state Graph no longer
   // knows (410 Gone) gives cursor_reset.
   Arrivals arrivals(const std::string &folder, const std::string &cursor, const SearchQuery &filter,
                     CallContext &context) override;

 private:
   std::vector<FolderInfo> list_folders(CallContext &context) override;
   std::optional<std::vector<FolderInfo>> list_folder_paths(CallContext &context) override;
   std::optional<FolderInfo> find_role_folder(const std::string &role, CallContext &context) override;
   std::string id_of(const std::string &ref) const;  // throws invalid_properties
   struct Cursor {
      std::string url;           // the page: a path under the mailbox, or an @odata.nextLink
      std::size_t consumed = 0;  // its messages read already
   };
   static std::string make_cursor(const Cursor &cursor);
   Cursor cursor_of(const std::string &text) const;  // throws invalid_properties
   std::string transfer(const std::string &ref, const std::string &folder, bool copy, CallContext &context);

   // What a summary is made of: the fields, and the attachments and PidTagMessageSize expanded.
   static constexpr const char *kSummarySelect =
       "id,subject,from,toRecipients,ccRecipients,sentDateTime,isRead,flag,internetMessageId,hasAttachments";
   static constexpr const char *kSummaryExpand =
       "attachments($select=name,contentType,size,isInline),"
       "singleValueExtendedProperties($filter=id eq 'Integer 0x0E08' or id eq 'Integer 0x1081')";
   // The first page of a search in the folder `folder_in_url` (its id, or a well-known name), as
   // a path under the mailbox.
   static std::string first_page_url(const std::string &folder_in_url, const SearchQuery &query);
   std::string start_round(const FolderInfo &where, CallContext &context);  // the cursor of now

   GraphClient &client_;
};

}  // namespace email
