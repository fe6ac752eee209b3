// GraphMailbox::arrivals (graph/graph_mailbox.h): the messages created in a folder since a cursor,
// by Graph's delta query on the folder's messages (learn.microsoft.com/graph/api/message-delta,
// /graph/delta-query-messages). A round is GET .../messages/delta?changeType=created, then its
// @odata.nextLinks, until the @odata.deltaLink that the next round starts from. The links carry
// the round's options; they are followed as given, on the Graph endpoint of the session only.
#include <cpprest/uri.h>

#include <algorithm>

#include "graph/graph_client.h"
#include "graph/graph_json.h"
#include "graph/graph_mailbox.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr const char *kCursorPrefix = "graph1:";
constexpr std::size_t kMostAtOnce = Arrivals::kMostAtOnce;
constexpr int kMostPages = 1000;  // a round longer than this is not a round of new mail

std::string encode(const std::string &value) { return web::uri::encode_data_string(value); }

struct DeltaCursor {
   std::string folder_tag;  // short_hash of the folder's id
   std::size_t consumed = 0;
   std::string link;
};

std::string cursor_text(const DeltaCursor &cursor) {
   return kCursorPrefix + cursor.folder_tag + ":" + std::to_string(cursor.consumed) + ":" + cursor.link;
}

bool is_timestamp(const std::string &text) {  // "2026-12-05T15:20:00Z", maybe with fractions
   return text.size() >= 20 && text.size() <= 40 && text.back() == 'Z' &&
          text.find_first_not_of("0123456789-:.TZ") == std::string::npos;
}

}  // namespace

MailboxCapabilities GraphMailbox::capabilities() const {
   MailboxCapabilities can;
   can.poll_seconds = 30;
   return can;
}

std::string GraphMailbox::start_round(const FolderInfo &where, CallContext &context) {
   const std::string folder = "/mailFolders/" + encode(where.wire_name);
   // The newest message's receivedDateTime, by the server's clock: a round filtered from our
   // clock would lose for good the mail of the minutes ours runs ahead.
   const std::string newest = graph::parse_first_received(client_.get(
       folder + "/messages?$top=1&$orderby=" + encode("receivedDateTime desc") + "&$select=receivedDateTime",
       context, "the message list"));
   std::string link = folder + "/messages/delta?changeType=created&$select=" + encode(kSummarySelect);
   if (is_timestamp(newest)) link += "&$filter=" + encode("receivedDateTime ge " + newest);
   for (int pages = 0; pages < kMostPages; ++pages) {  // what is there now is not new: skipped
      const graph::MessagePage page =
          client_.get_page(link, &graph::parse_message_page, context, GraphClient::kDeltaWhat);
      if (!page.delta_link.empty()) return cursor_text({short_hash(where.wire_name), 0, page.delta_link});
      if (page.next_link.empty())
         throw Failure(RPA_PROTOCOL_ERROR,
                       "Microsoft Graph ended a delta round with neither a nextLink nor a deltaLink");
      link = page.next_link;
   }
   throw Failure(RPA_PROTOCOL_ERROR, "Microsoft Graph's delta round did not end within 1000 pages");
}

Arrivals GraphMailbox::arrivals(const std::string &folder, const std::string &cursor_in,
                                const SearchQuery &filter, CallContext &context) {
   const FolderInfo where = find_folder(folder, context);
   Arrivals found;
   if (cursor_in.empty()) {
      found.cursor = start_round(where, context);
      return found;
   }
   const auto refuse = [](const std::string &why) {
      return Failure(RPA_INVALID_PROPERTIES, "cursor: " + why);
   };
   if (cursor_in.rfind(kCursorPrefix, 0) != 0)
      throw refuse("not a cursor a Microsoft 365 (Graph) wait returned (\"graph1:...\")");
   DeltaCursor at;
   const std::size_t tag_end = cursor_in.find(':', 7), count_end = cursor_in.find(':', tag_end + 1);
   if (tag_end != 19 || count_end == std::string::npos || count_end == 20 || count_end > 26 ||
       cursor_in.find_first_not_of("0123456789", 20) != count_end)
      throw refuse("not a cursor a Microsoft 365 (Graph) wait returned (\"graph1:...\")");
   at.folder_tag = cursor_in.substr(7, 12);
   at.consumed = std::stoul(cursor_in.substr(20, count_end - 20));
   at.link = cursor_in.substr(count_end + 1);
   if (at.folder_tag != short_hash(where.wire_name))
      throw refuse("it follows another folder than \"" + where.path + "\"");
   // Graph's own link on the endpoint of this session: never a place the token should not go.
   if (at.link.rfind(client_.graph_url() + "/", 0) != 0 ||
       at.link.find_first_of(" \r\n") != std::string::npos)
      throw refuse("its link is not one Microsoft Graph gave this session");

   std::vector<std::string> ids;
   for (int pages = 0;; ++pages) {
      if (pages == kMostPages)
         throw Failure(RPA_PROTOCOL_ERROR, "Microsoft Graph's delta round did not end within 1000 pages");
      graph::MessagePage page;
      try {
         page = client_.get_page(at.link, &graph::parse_message_page, context, GraphClient::kDeltaWhat);
      } catch (const GraphClient::SyncStateGone &gone) {
         context.host().info(std::string("Microsoft 365: ") + gone.what() + "; waiting from now on");
         found.cursor_reset = true;
         found.cursor = start_round(where, context);
         return found;
      }
      std::size_t next = std::min(at.consumed, page.messages.size());
      for (; next < page.messages.size() && ids.size() < kMostAtOnce; ++next)
         if (summary_matches(filter, page.messages[next].second, page.has_attachments[next]))
            ids.push_back(page.messages[next].first);
      if (next < page.messages.size()) {  // 100 found inside this page: the rest of it next time
         at.consumed = next;
         break;
      }
      const std::string &following = page.delta_link.empty() ? page.next_link : page.delta_link;
      if (following.empty())
         throw Failure(RPA_PROTOCOL_ERROR,
                       "Microsoft Graph ended a delta round with neither a nextLink nor a deltaLink");
      at = DeltaCursor{at.folder_tag, 0, following};
      if (!page.delta_link.empty() || ids.size() >= kMostAtOnce) break;
   }
   found.cursor = cursor_text(at);
   // The summary as a search gives it (attachments, size): a delta round cannot expand them.
   for (const std::string &id : ids) {
      std::string body;
      try {
         body = client_.get("/messages/" + encode(id) + "?$select=" + encode(kSummarySelect) +
                                "&$expand=" + encode(kSummaryExpand),
                            context, "the message");
      } catch (const Failure &failure) {
         if (failure.status() == RPA_MESSAGE_NOT_FOUND) continue;  // deleted since: not there to return
         throw;
      }
      std::optional<MessageSummary> summary = graph::parse_message(body);
      if (!summary) throw Failure(RPA_PROTOCOL_ERROR, "Microsoft Graph answered a message with no message");
      summary->ref = "graph:" + id;
      summary->folder = where.path;
      found.messages.push_back(std::move(*summary));
   }
   return found;
}

}  // namespace email
