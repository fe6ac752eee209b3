#include "ews/ews_mailbox.h"

#include <algorithm>
#include <cstdlib>

#include "ews/ews_client.h"
#include "ews/ews_item_requests.h"
#include "ews/ews_summary.h"
#include "http/spooled_body.h"
#include "mailbox/folder_roles.h"
#include "util/base64_decoder.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr unsigned kMaxPage = 1000;  // Exchange caps a FindItem page at 1,000 items

struct Distinguished {
   const char *id, *role;
};
// Every RequestServerVersion knows these (the "archive" id is newer: an older schema would refuse
// the whole request, so the Archive folder is found by its name).
constexpr Distinguished kRoles[] = {{"inbox", "inbox"},
                                    {"sentitems", "sent"},
                                    {"drafts", "drafts"},
                                    {"deleteditems", "trash"},
                                    {"junkemail", "junk"}};

// The first response message that is an error, or null.
const ews::ResponseMessage *first_error(const ews::Response &response) {
   for (const auto &message : response.messages)
      if (message.response_class == "Error") return &message;
   return nullptr;
}

// Decodes the base64 text at `span` of `spool` to `sink` in bounded pieces.
void decode_base64(const SpooledBody &spool, const ews::LargeElementSplitter::Span &span,
                   const ByteSink &sink) {
   Base64Decoder decoder;
   bool ok = true;
   const bool whole = spool.read(span.offset, span.length,
                                 [&](std::string_view text) { return ok = decoder.update(text, sink); });
   if (!ok || (whole && !decoder.finish(sink)))
      throw Failure(RPA_PROTOCOL_ERROR, "the server's MimeContent is not base64");
   if (!whole) throw Failure(RPA_INTERNAL, "the spooled GetItem response cannot be read back");
}

}  // namespace

std::string EwsMailbox::item_of(const std::string &ref) const {
   if (ref.rfind("ews:", 0) != 0 || ref.size() <= 4)
      throw Failure(RPA_INVALID_PROPERTIES,
                    "\"" + printable(ref, 80) + "\" is not a message reference from an EWS session");
   return ref.substr(4);
}

std::vector<FolderInfo> EwsMailbox::list_folders(CallContext &context) {
   std::vector<FolderInfo> found = client_.find_folders(context);
   std::vector<const char *> ids;
   for (const Distinguished &d : kRoles) ids.push_back(d.id);
   ews::Response response;
   client_.call(ews::get_distinguished_folders_request(client_.header(), ids), response, context,
                "GetFolder");
   for (std::size_t i = 0; i < response.messages.size() && i < ids.size(); ++i) {
      if (response.messages[i].response_class == "Error") continue;  // the mailbox has no such folder
      pugi::xml_node folder = ews::child(ews::child(response.messages[i].node, "Folders"), "Folder");
      const std::string folder_id = ews::child(folder, "FolderId").attribute("Id").value();
      for (FolderInfo &info : found)
         if (!folder_id.empty() && info.wire_name == folder_id) info.role = kRoles[i].role;
   }
   return found;
}

std::optional<std::vector<FolderInfo>> EwsMailbox::list_folder_paths(CallContext &context) {
   return client_.find_folders(context);
}

// One GetFolder of the distinguished folder and msgfolderroot: a folder whose parent is the root
// is at the top of FindFolder's list, so its path there is its display name.
std::optional<FolderInfo> EwsMailbox::find_role_folder(const std::string &role, CallContext &context) {
   const Distinguished *known = nullptr;
   for (const Distinguished &d : kRoles)
      if (role == d.role) known = &d;
   if (!known) return std::nullopt;  // archive: by name, from the whole list
   ews::Response response;
   client_.call(ews::get_folder_and_root_request(client_.header(), known->id), response, context,
                "GetFolder");
   if (response.messages.size() != 2 || first_error(response)) return std::nullopt;
   pugi::xml_node folder = ews::child(ews::child(response.messages[0].node, "Folders"), "Folder");
   pugi::xml_node root = ews::child(ews::child(response.messages[1].node, "Folders"), "Folder");
   const std::string id = ews::child(folder, "FolderId").attribute("Id").value();
   const std::string parent = ews::child(folder, "ParentFolderId").attribute("Id").value();
   const std::string name = ews::child(folder, "DisplayName").child_value();
   if (id.empty() || name.empty() || parent.empty() ||
       parent != ews::child(root, "FolderId").attribute("Id").value() ||
       !ews::is_mail_folder_class(ews::child(folder, "FolderClass").child_value()))
      return std::nullopt;
   FolderInfo found =
       folder_at(id, name, std::atoi(ews::child(folder, "ChildFolderCount").child_value()) > 0);
   found.role = known->role;
   return found;
}

SearchPage EwsMailbox::search(const std::string &folder, const SearchQuery &query, CallContext &context) {
   const FolderInfo where = folder_to_work_in(folder, context);  // by path: FindFolder, no GetFolder
   unsigned offset = query.cursor.empty() ? 0 : offset_of_cursor(query.cursor, "ews:", "an EWS");
   const bool client_filter = !query.from.empty() || !query.to.empty();
   SearchPage page;
   for (int rounds = 0; page.messages.size() < query.limit && rounds < 100; ++rounds) {
      const unsigned want = static_cast<unsigned>(query.limit - page.messages.size());
      const unsigned size = std::min(kMaxPage, client_filter ? std::max(want, 100u) : want);
      ews::Response found;
      client_.call(ews::find_item_request(client_.header(), where.wire_name, query, offset, size), found,
                   context, "FindItem");
      if (const auto *error = first_error(found)) client_.fail(*error, "FindItem");
      pugi::xml_node root = ews::child(found.messages.front().node, "RootFolder");
      if (!client_filter) page.total = root.attribute("TotalItemsInView").as_uint();
      std::vector<std::string> ids;
      for (pugi::xml_node item : ews::child(root, "Items").children())
         ids.push_back(ews::child(item, "ItemId").attribute("Id").value());
      const unsigned next =
          root.attribute("IndexedPagingOffset").as_uint(offset + static_cast<unsigned>(ids.size()));
      const bool last = root.attribute("IncludesLastItemInRange").as_bool(true) || ids.empty();
      if (!ids.empty()) {
         ews::Response items;
         client_.call(ews::get_item_summaries_request(client_.header(), ids), items, context, "GetItem");
         page.messages.reserve(std::min<std::size_t>(query.limit, page.messages.size() + ids.size()));
         unsigned consumed = 0;
         for (const auto &message : items.messages) {
            ++consumed;
            if (message.response_class == "Error") continue;  // deleted in between
            pugi::xml_node item = ews::child(message.node, "Items").first_child();
            MessageSummary summary = ews::summary_of_item(item);
            summary.folder = where.path;
            if (!matches_sender_and_recipients(query, summary.from, summary.to)) continue;
            page.messages.push_back(std::move(summary));
            if (page.messages.size() >= query.limit) break;
         }
         offset += consumed;
         if (consumed < ids.size() || !last) {
            page.next_cursor = "ews:" + std::to_string(consumed < ids.size() ? offset : next);
            if (consumed < ids.size()) break;
            offset = next;
            continue;
         }
      }
      page.next_cursor.clear();
      break;
   }
   return page;
}

void EwsMailbox::fetch_raw(const std::string &ref, const ByteSink &sink, CallContext &context) {
   ews::Response response;
   SpooledBody spool;  // the message may be 150 MB: its base64 stays on disk
   const auto text = client_.call_spooled(ews::get_item_mime_request(client_.header(), item_of(ref)),
                                          "MimeContent", spool, response, context, "GetItem");
   if (const auto *error = first_error(response)) client_.fail(*error, "GetItem");
   const pugi::xml_node mime =
       ews::child(ews::path(response.messages.front().node, {"Items"}).first_child(), "MimeContent");
   // The skeleton's MimeContent is empty: the splitter took its text out (or it had none).
   if (!mime || mime.first_child())
      throw Failure(RPA_PROTOCOL_ERROR,
                    client_.server() + " answered GetItem without the message's MimeContent");
   if (text) decode_base64(spool, *text, sink);
}

void EwsMailbox::set_flags(const std::string &ref, FlagChange seen, FlagChange flagged,
                           CallContext &context) {
   ews::Response response;
   if (seen == FlagChange::keep && flagged == FlagChange::keep) {  // only: does it exist?
      client_.call(ews::get_item_id_request(client_.header(), item_of(ref)), response, context, "GetItem");
      if (const auto *error = first_error(response)) client_.fail(*error, "GetItem");
      return;
   }
   client_.call(ews::update_flags_request(client_.header(), item_of(ref), seen, flagged), response, context,
                "UpdateItem");
   if (const auto *error = first_error(response)) client_.fail(*error, "UpdateItem");
}

std::string EwsMailbox::transfer(const std::string &ref, const std::string &folder, bool copy,
                                 CallContext &context) {
   const FolderInfo destination = folder_to_work_in(folder, context);
   ews::Response response;
   const char *operation = copy ? "CopyItem" : "MoveItem";
   client_.call(ews::transfer_item_request(client_.header(), item_of(ref), destination.wire_name, copy),
                response, context, operation);
   if (const auto *error = first_error(response)) client_.fail(*error, operation);
   const std::string id =
       ews::child(ews::child(response.messages.front().node, "Items").first_child(), "ItemId")
           .attribute("Id")
           .value();
   return id.empty() ? "" : "ews:" + id;
}

void EwsMailbox::mark_answered(const std::string &ref, Answered how, CallContext &context) {
   ews::Response response;
   client_.call(ews::update_answered_request(client_.header(), item_of(ref), how), response, context,
                "UpdateItem");
   if (const auto *error = first_error(response)) client_.fail(*error, "UpdateItem");
}

std::string EwsMailbox::move(const std::string &ref, const std::string &folder, CallContext &context) {
   return transfer(ref, folder, false, context);
}

std::string EwsMailbox::copy(const std::string &ref, const std::string &folder, CallContext &context) {
   return transfer(ref, folder, true, context);
}

std::string EwsMailbox::delete_message(const std::string &ref, bool permanently, CallContext &context) {
   const std::string id = item_of(ref);
   bool in_trash = false;
   if (!permanently) {  // an item already in Deleted Items goes for good
      ews::Response where;
      client_.call(ews::get_item_summaries_request(client_.header(), {id}), where, context, "GetItem");
      if (const auto *error = first_error(where)) client_.fail(*error, "GetItem");
      const std::string parent =
          ews::child(ews::child(where.messages.front().node, "Items").first_child(), "ParentFolderId")
              .attribute("Id")
              .value();
      for (const FolderInfo &folder : folders(context))
         if (folder.role == "trash" && folder.wire_name == parent) in_trash = true;
   }
   const bool hard = permanently || in_trash;
   ews::Response response;
   client_.call(ews::delete_item_request(client_.header(), id, hard), response, context, "DeleteItem");
   if (const auto *error = first_error(response)) client_.fail(*error, "DeleteItem");
   return hard ? std::string("deleted the message for good") +
                     (in_trash ? " (it was in the trash folder)" : "")
               : "moved the message to \"Deleted Items\"";
}

Appended EwsMailbox::append(const std::string &folder, std::string_view message, CallContext &context) {
   const FolderInfo destination = folder_to_work_in(folder, context);
   ews::Response response;
   client_.call(ews::create_item_request(client_.header(), destination.wire_name, message), response, context,
                "CreateItem");
   if (const auto *error = first_error(response)) client_.fail(*error, "CreateItem");
   const std::string id =
       ews::child(ews::child(response.messages.front().node, "Items").first_child(), "ItemId")
           .attribute("Id")
           .value();
   return {id.empty() ? "" : "ews:" + id, ""};
}

}  // namespace email
