// What Microsoft Graph's JSON answers say, read with RapidJSON and free of I/O (a fuzz target
// feeds them hostile bytes): error bodies {"error": {"code", "message"}} and pages of mailFolder
// collections {"value": [...], "@odata.nextLink": "..."}.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mailbox/mailbox.h"

namespace email::graph {

struct Error {
   std::string code;     // e.g. "ErrorInvalidUser"; "" when the body is not a Graph error
   std::string message;  // printable, at most 300 bytes
};
Error parse_error(const std::string &body);

// What arrived, for an error message: "an empty body", or its first bytes made printable and
// quoted ("\"[[[[[[[[...\" (300000 bytes)").
std::string describe_body(const std::string &body);

// The "id" of a single resource's body, or "" when there is none (also when the body is not
// JSON, or nested deeper than rpa::kMaxJsonDepth).
std::string parse_id(const std::string &body);
// A string member of a single resource's body, or "".
std::string parse_member(const std::string &body, const char *name);

struct FolderEntry {
   std::string id, display_name;
   bool has_children = false;
   std::string parent_id;  // parentFolderId, when it was asked for
};
// A single folder's body (id, displayName, parentFolderId, childFolderCount); an entry without
// id when the body is not a folder (not JSON, not an object, no id or displayName).
FolderEntry parse_folder(const std::string &body);
struct FolderPage {
   std::vector<FolderEntry> folders;  // entries without id or displayName are skipped
   std::string next_link;             // "" on the last page
};
// Throws std::invalid_argument when `body` is not a collection.
FolderPage parse_folder_page(const std::string &body);

// A page of messages ($select'ed as GraphMailbox asks, attachments and PidTagMessageSize
// expanded): summaries without ref and folder (the caller knows them), their ids, the
// @odata.count when asked, and the nextLink. Throws std::invalid_argument when not a collection.
// A page of a delta round (GraphMailbox::arrivals) is read the same way: its messages marked
// "@removed" are only named in `removed`, and the last page has the deltaLink instead of a nextLink.
struct MessagePage {
   std::vector<std::pair<std::string, MessageSummary>> messages;  // (id, summary)
   std::vector<bool> has_attachments;                             // hasAttachments of each message
   std::vector<std::string> removed;                              // ids of "@removed" entries
   std::optional<std::size_t> count;
   std::string next_link;
   std::string delta_link;
};
MessagePage parse_message_page(const std::string &body);

// The receivedDateTime of a collection's first message, or "" (none, or not a collection).
std::string parse_first_received(const std::string &body);

// One message resource, as a page's (GET /messages/{id}); nullopt when the body is not one.
std::optional<MessageSummary> parse_message(const std::string &body);

}  // namespace email::graph
