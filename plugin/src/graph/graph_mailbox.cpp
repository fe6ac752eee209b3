#include "graph/graph_mailbox.h"

#include <cpprest/uri.h>
#include <rpa_common/base64.h>

#include <algorithm>
#include <cstdio>

#include "graph/graph_client.h"
#include "graph/graph_json.h"
#include "mailbox/folder_roles.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr unsigned kMaxPage = 1000;

struct WellKnown {
   const char *name, *role;
};
constexpr WellKnown kRoles[] = {{"inbox", "inbox"},        {"sentitems", "sent"}, {"drafts", "drafts"},
                                {"deleteditems", "trash"}, {"junkemail", "junk"}, {"archive", "archive"}};

std::string encode(const std::string &value) { return web::uri::encode_data_string(value); }

// An OData string literal: single quotes doubled.
std::string odata_string(const std::string &value) {
   std::string out = "'";
   for (char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
   return out + "'";
}

// The $filter for `query` ("" for none); from and to are matched here, not by Graph.
std::string search_filter(const SearchQuery &query) {
   std::vector<std::string> terms;
   if (query.seen) terms.push_back(std::string("isRead eq ") + (*query.seen ? "true" : "false"));
   if (query.flagged)
      terms.push_back(std::string("flag/flagStatus eq ") + (*query.flagged ? "'flagged'" : "'notFlagged'"));
   if (query.since) terms.push_back("sentDateTime ge " + utc_midnight(*query.since));
   if (query.before) terms.push_back("sentDateTime lt " + utc_midnight(*query.before));
   if (query.has_attachments)
      terms.push_back(std::string("hasAttachments eq ") + (*query.has_attachments ? "true" : "false"));
   if (!query.subject.empty()) terms.push_back("contains(subject," + odata_string(query.subject) + ")");
   // With $filter and $orderby together, the ordered property must lead the filter, or Exchange
   // answers 400 InefficientFilter (learn.microsoft.com/graph/api/user-list-messages); this bound
   // excludes nothing.
   if (!terms.empty()) terms.insert(terms.begin(), "receivedDateTime ge 1900-01-01T00:00:00Z");
   std::string filter;
   for (const std::string &term : terms) filter += (filter.empty() ? "" : " and ") + term;
   return filter;
}

// Whether a well-known folder's answer holds the folder: false when the mailbox has none (404);
// any other failure is thrown.
bool holds_folder(const GraphClient::Fetched &fetched) {
   if (!fetched.failure) return true;
   try {
      std::rethrow_exception(fetched.failure);
   } catch (const Failure &failure) {
      if (failure.status() == RPA_FOLDER_NOT_FOUND) return false;
      throw;
   }
}

constexpr const char *kWellKnownWhat = "a well-known folder";
constexpr const char *kMessageListWhat = "the message list";

const WellKnown *well_known(const std::string &role) {
   for (const WellKnown &each : kRoles)
      if (role == each.role) return &each;
   return nullptr;
}

// The well-known folder and msgfolderroot, for one JSON batch: a folder whose parent is the root
// is at the top of the folder list, so its path there is its display name.
std::vector<GraphClient::Lookup> role_folder_lookups(const WellKnown &known) {
   return {
       {std::string("/mailFolders/") + known.name + "?$select=id,displayName,parentFolderId,childFolderCount",
        kWellKnownWhat},
       {"/mailFolders/msgfolderroot?$select=id", kWellKnownWhat}};
}

// The folder of `known` as the whole list would give it, from the first two answers of
// role_folder_lookups(); nullopt when they do not settle it (the mailbox has none, or it is not at
// the top). Any other failure is thrown.
std::optional<FolderInfo> role_folder_in(const std::vector<GraphClient::Fetched> &fetched,
                                         const WellKnown &known) {
   if (!holds_folder(fetched[0]) || !holds_folder(fetched[1])) return std::nullopt;
   const graph::FolderEntry folder = graph::parse_folder(fetched[0].body);
   const std::string root = graph::parse_id(fetched[1].body);
   if (folder.id.empty() || root.empty() || folder.parent_id != root) return std::nullopt;
   FolderInfo found = folder_at(folder.id, folder.display_name, folder.has_children);
   found.role = known.role;
   return found;
}

}  // namespace

// "graph:<consumed>:<page URL>": the page a search goes on from (a path, or Graph's
// @odata.nextLink) and how many of its messages were read already.
std::string GraphMailbox::make_cursor(const Cursor &cursor) {
   return "graph:" + std::to_string(cursor.consumed) + ":" + cursor.url;
}

GraphMailbox::Cursor GraphMailbox::cursor_of(const std::string &text) const {
   const auto refuse = [] {
      return Failure(RPA_INVALID_PROPERTIES, "cursor: not a cursor from a Microsoft 365 (Graph) search");
   };
   const std::size_t colon = text.find(':', 6);
   if (text.rfind("graph:", 0) != 0 || colon == std::string::npos || colon == 6 || colon > 12 ||
       text.find_first_not_of("0123456789", 6) != colon)
      throw refuse();
   Cursor cursor{text.substr(colon + 1), static_cast<std::size_t>(std::stoul(text.substr(6, colon - 6)))};
   // A path under the mailbox, or a link on the Graph endpoint the session uses (send() refuses
   // any other host): never a place the token should not go.
   if (cursor.url.empty() || (cursor.url[0] != '/' && cursor.url.rfind(client_.graph_url() + "/", 0) != 0) ||
       cursor.url.find_first_of(" \r\n") != std::string::npos)
      throw refuse();
   return cursor;
}

std::string GraphMailbox::id_of(const std::string &ref) const {
   if (ref.rfind("graph:", 0) != 0 || ref.size() <= 6 || ref.find_first_of("/?#% ") != std::string::npos)
      throw Failure(
          RPA_INVALID_PROPERTIES,
          "\"" + printable(ref, 80) + "\" is not a message reference from a Microsoft 365 (Graph) session");
   return ref.substr(6);
}

std::vector<FolderInfo> GraphMailbox::list_folders(CallContext &context) {
   std::vector<FolderInfo> found = client_.find_folders(context);
   // The well-known folders' ids, in JSON batches (two round trips for the six, not six).
   std::vector<GraphClient::Lookup> lookups;
   for (const WellKnown &known : kRoles)
      lookups.push_back({std::string("/mailFolders/") + known.name + "?$select=id", kWellKnownWhat});
   const std::vector<GraphClient::Fetched> fetched = client_.get_each(lookups, context);
   for (std::size_t index = 0; index < fetched.size(); ++index) {
      if (!holds_folder(fetched[index])) continue;  // the mailbox has none (an archive)
      const std::string id = graph::parse_id(fetched[index].body);
      for (FolderInfo &info : found)
         if (!id.empty() && info.wire_name == id) info.role = kRoles[index].role;
   }
   return found;
}

std::optional<std::vector<FolderInfo>> GraphMailbox::list_folder_paths(CallContext &context) {
   return client_.find_folders(context);
}

std::optional<FolderInfo> GraphMailbox::find_role_folder(const std::string &role, CallContext &context) {
   const WellKnown *known = well_known(role);
   if (!known) return std::nullopt;
   return role_folder_in(client_.get_each(role_folder_lookups(*known), context), *known);
}

// The first page of a search in the folder `folder_in_url` (an id or a well-known name, as a URL's
// segment).
std::string GraphMailbox::first_page_url(const std::string &folder_in_url, const SearchQuery &query) {
   const bool client_filter = !query.from.empty() || !query.to.empty();
   const unsigned size =
       std::min(kMaxPage, client_filter ? std::max(query.limit, 100u) : std::max(query.limit, 1u));
   std::string url = "/mailFolders/" + folder_in_url + "/messages?$select=" + encode(kSummarySelect) +
                     "&$expand=" + encode(kSummaryExpand) + "&$orderby=" +
                     encode(query.newest_first ? "receivedDateTime desc" : "receivedDateTime asc") +
                     "&$top=" + std::to_string(size) + "&$count=true";
   const std::string filter = search_filter(query);
   if (!filter.empty()) url += "&$filter=" + encode(filter);
   return url;
}

SearchPage GraphMailbox::search(const std::string &folder, const SearchQuery &query, CallContext &context) {
   const bool client_filter = !query.from.empty() || !query.to.empty();
   // Where to start: the cursor's page and how many of it were consumed, or the first page.
   Cursor at = query.cursor.empty() ? Cursor{} : cursor_of(query.cursor);
   std::optional<std::string> first_page;  // its body, when it came in the folder's batch
   std::optional<FolderInfo> where;
   // A first search in a folder named by its role: the folder, the root and the first page
   // (addressed by the well-known name) in one JSON batch, one round trip instead of two.
   if (const std::optional<std::string> role = role_to_look_up(folder); role && at.url.empty()) {
      if (const WellKnown *known = well_known(*role)) {
         std::vector<GraphClient::Lookup> lookups = role_folder_lookups(*known);
         lookups.push_back({first_page_url(known->name, query), kMessageListWhat});
         std::vector<GraphClient::Fetched> fetched = client_.get_each(lookups, context);
         if ((where = role_folder_in(fetched, *known))) {
            keep_role_folder(*where);
            if (fetched[2].failure) std::rethrow_exception(fetched[2].failure);
            first_page = std::move(fetched[2].body);
            at.url = lookups[2].path;
         }  // else the whole list decides (below), and the page is asked for by the folder's id
      }
   }
   if (!where) where = folder_to_work_in(folder, context);  // by path: no well-known folder lookups
   if (at.url.empty()) at.url = first_page_url(encode(where->wire_name), query);
   SearchPage page;
   // The pages Graph hands out, in order (@odata.nextLink); a cursor inside a page when the
   // limit is reached there (client-side from/to filtering may leave part of a page unread).
   for (int rounds = 0; rounds < 100; ++rounds) {
      graph::MessagePage found =
          first_page ? client_.read_page(*first_page, &graph::parse_message_page, kMessageListWhat)
                     : client_.get_page(at.url, &graph::parse_message_page, context, kMessageListWhat);
      first_page.reset();
      if (!client_filter && found.count) page.total = *found.count;
      std::size_t next = std::min<std::size_t>(at.consumed, found.messages.size());
      for (; next < found.messages.size() && page.messages.size() < query.limit; ++next) {
         auto &[id, summary] = found.messages[next];
         if (!matches_sender_and_recipients(query, summary.from, summary.to)) continue;
         summary.ref = "graph:" + id;
         summary.folder = where->path;
         page.messages.push_back(std::move(summary));
      }
      if (next < found.messages.size()) {  // the limit was reached inside this page
         page.next_cursor = make_cursor({at.url, next});
         break;
      }
      if (found.next_link.empty() || found.messages.empty()) break;
      at = Cursor{found.next_link, 0};
      if (page.messages.size() >= query.limit) {
         page.next_cursor = make_cursor(at);
         break;
      }
   }
   return page;
}

void GraphMailbox::fetch_raw(const std::string &ref, const ByteSink &sink, CallContext &context) {
   // Messages run to 150 MB: the body goes to a temporary file, then to the sink in 64 KiB pieces.
   SpooledBody mime;
   client_.download("/messages/" + encode(id_of(ref)) + "/$value", context, "the message", mime);
   mime.read([&](std::string_view chunk) {
      sink(chunk);
      return true;
   });
}

void GraphMailbox::set_flags(const std::string &ref, FlagChange seen, FlagChange flagged,
                             CallContext &context) {
   const std::string path = "/messages/" + encode(id_of(ref));
   if (seen == FlagChange::keep && flagged == FlagChange::keep) {  // only: does it exist?
      client_.get(path + "?$select=id", context, "the message");
      return;
   }
   std::string body = "{";
   if (seen != FlagChange::keep)
      body += std::string("\"isRead\":") + (seen == FlagChange::set ? "true" : "false");
   if (flagged != FlagChange::keep)
      body += std::string(body.size() > 1 ? "," : "") + "\"flag\":{\"flagStatus\":\"" +
              (flagged == FlagChange::set ? "flagged" : "notFlagged") + "\"}";
   body += "}";
   client_.send("PATCH", path, "application/json", body, context, "the message");
}

void GraphMailbox::mark_answered(const std::string &ref, Answered how, CallContext &context) {
   const std::string body = "{\"singleValueExtendedProperties\":[{\"id\":\"Integer 0x1081\",\"value\":\"" +
                            std::to_string(last_verb_executed(how)) +
                            "\"},{\"id\":\"Integer 0x1080\",\"value\":\"" + std::to_string(icon_index(how)) +
                            "\"}]}";
   client_.send("PATCH", "/messages/" + encode(id_of(ref)), "application/json", body, context, "the message");
}

std::string GraphMailbox::transfer(const std::string &ref, const std::string &folder, bool copy,
                                   CallContext &context) {
   const FolderInfo destination = folder_to_work_in(folder, context);
   const std::string answer = client_.send(
       "POST", "/messages/" + encode(id_of(ref)) + (copy ? "/copy" : "/move"), "application/json",
       "{\"destinationId\":\"" + destination.wire_name + "\"}", context, "the message");
   const std::string id = graph::parse_id(answer);
   return id.empty() ? "" : "graph:" + id;
}

std::string GraphMailbox::move(const std::string &ref, const std::string &folder, CallContext &context) {
   return transfer(ref, folder, false, context);
}

std::string GraphMailbox::copy(const std::string &ref, const std::string &folder, CallContext &context) {
   return transfer(ref, folder, true, context);
}

std::string GraphMailbox::delete_message(const std::string &ref, bool permanently, CallContext &context) {
   const std::string path = "/messages/" + encode(id_of(ref));
   bool in_trash = false;
   if (!permanently) {  // a message already in Deleted Items goes for good
      const std::string parent = graph::parse_member(
          client_.get(path + "?$select=parentFolderId", context, "the message"), "parentFolderId");
      for (const FolderInfo &folder : folders(context))
         if (folder.role == "trash" && folder.wire_name == parent) in_trash = true;
   }
   if (permanently || in_trash) {
      client_.send("POST", path + "/permanentDelete", "application/json", "{}", context, "the message");
      return std::string("deleted the message for good") + (in_trash ? " (it was in the trash folder)" : "");
   }
   transfer(ref, "trash", false, context);
   return "moved the message to \"Deleted Items\"";
}

Appended GraphMailbox::append(const std::string &folder, std::string_view message, CallContext &context) {
   const FolderInfo destination = folder_to_work_in(folder, context);
   // Graph takes a MIME message as base64 text (learn.microsoft.com/graph/outlook-send-mime-message).
   const std::string encoded = rpa::base64_text(message);
   const std::string answer =
       client_.send("POST", "/mailFolders/" + encode(destination.wire_name) + "/messages", "text/plain",
                    encoded, context, "the folder");
   // learn.microsoft.com/graph/api/user-post-messages: "Create a draft of a new message in either
   // JSON or MIME format"; message flags (PidTagMessageFlags) can be set only with JSON.
   Appended appended{"",
                     "; Microsoft Graph stores a message created from MIME as a draft (isDraft), so "
                     "Outlook shows it as a draft"};
   const std::string id = graph::parse_id(answer);
   if (id.empty()) return appended;
   set_flags("graph:" + id, FlagChange::set, FlagChange::keep,
             context);  // stored as read, like IMAP's append
   appended.ref = "graph:" + id;
   return appended;
}

}  // namespace email
