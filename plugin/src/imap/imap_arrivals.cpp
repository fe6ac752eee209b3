// ImapMailbox::arrivals and wait_for_change (imap/imap_mailbox.h): what came after a cursor of
// UIDVALIDITY and UID (UIDs only grow while UIDVALIDITY stays), and IDLE until more comes.
#include <algorithm>

#include "imap/imap_client.h"
#include "imap/imap_mailbox.h"
#include "imap/imap_fetch.h"
#include "util/failure.h"

namespace email {

using imap::Response;

namespace {

constexpr const char *kCursorPrefix = "imap1:";
constexpr unsigned kMostAtOnce = Arrivals::kMostAtOnce;

std::string cursor_of(std::uint64_t uidvalidity, std::uint64_t uid) {
   return kCursorPrefix + std::to_string(uidvalidity) + ":" + std::to_string(uid);
}

bool digits(const std::string &text) {
   return !text.empty() && text.size() <= 20 && text.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::uint64_t ImapMailbox::highest_uid(CallContext &context) {
   std::uint64_t highest = 0;
   Response tagged = client_.run_with("UID SEARCH UID *", context, [&](const Response &r) {
      if (r.keyword != "SEARCH") return;
      for (std::uint64_t uid : imap::parse_search(r.text)) highest = std::max(highest, uid);
   });
   if (tagged.keyword != "OK") refused("search", tagged);
   return highest;
}

Arrivals ImapMailbox::arrivals(const std::string &folder, const std::string &cursor,
                               const SearchQuery &filter, CallContext &context) {
   const FolderInfo where = find_folder(folder, context);
   if (!where.selectable)
      throw Failure(RPA_FOLDER_NOT_FOUND, "\"" + where.path + "\" holds only other folders, no messages");
   const std::uint64_t uidvalidity = select(where.wire_name, context);
   Arrivals found;
   if (cursor.empty()) {
      // The connection's view is synced first: a message another connection appended just before
      // would otherwise be past "now" and come back as new (the server syncs at NOOP).
      client_.noop(context);
      found.cursor = cursor_of(uidvalidity, highest_uid(context));
      return found;
   }
   const std::string rest = cursor.rfind(kCursorPrefix, 0) == 0 ? cursor.substr(6) : "";
   const std::size_t colon = rest.find(':');
   const std::string validity = rest.substr(0, colon),
                     last = colon == std::string::npos ? "" : rest.substr(colon + 1);
   if (!digits(validity) || !digits(last))
      throw Failure(RPA_INVALID_PROPERTIES, "cursor: not a cursor an IMAP wait returned (\"imap1:...\")");
   if (std::stoull(validity) != uidvalidity) {
      context.host().info("IMAP: the folder \"" + where.path +
                          "\" was rebuilt (UIDVALIDITY changed); waiting from now on");
      found.cursor_reset = true;
      found.cursor = cursor_of(uidvalidity, highest_uid(context));
      return found;
   }
   SearchQuery query = filter;
   query.newest_first = false;
   query.limit = kMostAtOnce;
   query.cursor = validity + ":" + last;
   SearchPage page = search(folder, query, true, context);
   std::uint64_t newest = std::stoull(last);
   for (const MessageSummary &message : page.messages) newest = std::max(newest, parse_ref(message.ref).uid);
   if (!page.next_cursor.empty())  // "<UIDVALIDITY>:<last UID examined>": more wait beyond it
      newest = std::max<std::uint64_t>(newest,
                                       std::stoull(page.next_cursor.substr(page.next_cursor.find(':') + 1)));
   found.messages = std::move(page.messages);
   found.cursor = cursor_of(uidvalidity, newest);
   return found;
}

bool ImapMailbox::wait_for_change(const std::string &folder, std::chrono::milliseconds wait,
                                  std::chrono::milliseconds poll, const std::function<bool()> &stop,
                                  CallContext &context) {
   if (!client_.has_capability("IDLE")) {
      context.host().debug("IMAP: the server offers no IDLE; the next look for new mail in " +
                           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(poll).count()) +
                           " s");
      return Mailbox::wait_for_change(folder, wait, poll, stop, context);
   }
   const FolderInfo where = find_folder(folder, context);
   select(where.wire_name, context);
   return client_.idle(wait, stop, context);
}

}  // namespace email
