// EwsMailbox::arrivals (ews/ews_mailbox.h): the items created in a folder since a cursor, by
// SyncFolderItems (learn.microsoft.com/exchange/client-developer/web-service-reference/
// syncfolderitems-operation): the SyncState says exactly what a client has seen, so nothing is
// missed or seen twice across polls, reconnects and sessions. Read flags and updates are changes
// of known mail, not new mail; deletes are nothing to return.
#include <algorithm>

#include "ews/ews_client.h"
#include "ews/ews_item_requests.h"
#include "ews/ews_mailbox.h"
#include "ews/ews_summary.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr const char *kCursorPrefix = "ews1:";
constexpr unsigned kChangesPerLook = Arrivals::kMostAtOnce;  // a message is one Create change
constexpr unsigned kChangesFromNow = 512;                    // the most SyncFolderItems gives
constexpr int kMostRequests = 2000;  // a folder of a million items, from its beginning

std::string local_name(pugi::xml_node node) {
   const std::string name = node.name();
   return name.substr(name.find(':') == std::string::npos ? 0 : name.find(':') + 1);
}

}  // namespace

std::string EwsMailbox::sync(const FolderInfo &where, std::string state, std::size_t wanted,
                             std::vector<std::string> &created, CallContext &context) {
   for (int requests = 0; requests < kMostRequests; ++requests) {
      ews::Response response;
      client_.call(ews::sync_folder_items_request(client_.header(), where.wire_name, state,
                                                  wanted ? kChangesPerLook : kChangesFromNow),
                   response, context, "SyncFolderItems");
      if (response.messages.empty())
         throw Failure(RPA_PROTOCOL_ERROR,
                       "the EWS server answered SyncFolderItems with no response message");
      const ews::ResponseMessage &message = response.messages.front();
      if (message.response_class == "Error") client_.fail(message, "SyncFolderItems");
      state = ews::child(message.node, "SyncState").child_value();
      if (state.empty())
         throw Failure(RPA_PROTOCOL_ERROR, "the EWS server's SyncFolderItems gave no SyncState");
      for (pugi::xml_node change : ews::child(message.node, "Changes").children())
         if (local_name(change) == "Create") {
            const std::string id = ews::child(change.first_child(), "ItemId").attribute("Id").value();
            if (!id.empty()) created.push_back(id);
         }
      if (ews::child(message.node, "IncludesLastItemInRange").text().as_bool(true) ||
          (wanted && created.size() >= wanted))
         return state;
      if (wanted && !created.empty()) return state;  // a look returns what one request gave
   }
   throw Failure(RPA_PROTOCOL_ERROR,
                 "the EWS server's SyncFolderItems did not reach the folder's last change");
}

Arrivals EwsMailbox::arrivals(const std::string &folder, const std::string &cursor, const SearchQuery &filter,
                              CallContext &context) {
   const FolderInfo where = find_folder(folder, context);
   const std::string prefix = kCursorPrefix + short_hash(where.wire_name) + ":";
   Arrivals found;
   std::vector<std::string> ids;
   if (cursor.empty()) {  // what is there now is not new: synced past, ignored
      found.cursor = prefix + sync(where, "", 0, ids, context);
      return found;
   }
   if (cursor.rfind(kCursorPrefix, 0) != 0 || cursor.size() < 19 || cursor[17] != ':' ||
       cursor.find_first_not_of("0123456789abcdef", 5) != 17 ||
       cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", 18) !=
           std::string::npos)
      throw Failure(RPA_INVALID_PROPERTIES, "cursor: not a cursor an EWS wait returned (\"ews1:...\")");
   if (cursor.rfind(prefix, 0) != 0)
      throw Failure(RPA_INVALID_PROPERTIES, "cursor: it follows another folder than \"" + where.path + "\"");
   std::string state;
   try {
      state = sync(where, cursor.substr(18), kChangesPerLook, ids, context);
   } catch (const EwsClient::SyncStateRefused &) {
      context.host().info(
          "EWS: the server no longer accepts the cursor's state (ErrorInvalidSyncStateData); "
          "waiting from now on");
      found.cursor_reset = true;
      ids.clear();
      found.cursor = prefix + sync(where, "", 0, ids, context);
      return found;
   }
   found.cursor = prefix + state;
   if (ids.empty()) return found;
   ews::Response items;
   client_.call(ews::get_item_summaries_request(client_.header(), ids), items, context, "GetItem");
   for (const ews::ResponseMessage &message : items.messages) {
      if (message.response_class == "Error") continue;  // deleted since: not there to return
      MessageSummary summary = ews::summary_of_item(ews::child(message.node, "Items").first_child());
      summary.folder = where.path;
      const bool attached = summary.attachments && !summary.attachments->empty();
      if (summary_matches(filter, summary, attached)) found.messages.push_back(std::move(summary));
   }
   return found;
}

}  // namespace email
