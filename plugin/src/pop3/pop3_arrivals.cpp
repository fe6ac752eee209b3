// Pop3Mailbox::arrivals (pop3/pop3_mailbox.h): what came after a cursor in a maildrop whose only
// order is the message numbers (the order of arrival) and whose only lasting names are UIDLs.
//
// The cursor names the newest messages seen by a 48-bit hash of their UIDL (short, and no
// server's ids in the bot's variables), at most 32 of them. Other clients take messages away (a
// POP3 bot usually deletes what it fetched), so the newest of them still there marks where the
// new mail starts. When the cursor named every message there ("c"), a message it does not name
// is new wherever it stands, so a maildrop emptied by the bot is still followed exactly.
#include <algorithm>
#include <set>

#include "pop3/pop3_client.h"
#include "pop3/pop3_mailbox.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr const char *kCursorPrefix = "pop3a1:";
constexpr std::size_t kNamed = 32;  // messages a cursor names
constexpr std::size_t kMostAtOnce = Arrivals::kMostAtOnce;
constexpr std::size_t kHashDigits = 12;

std::string hash_of(const std::string &uidl) { return short_hash(uidl); }

struct Cursor {
   bool complete = false;  // it named every message there
   std::set<std::string> named;
};

Cursor parse_cursor(const std::string &text) {
   const auto refuse = [] {
      return Failure(RPA_INVALID_PROPERTIES, "cursor: not a cursor a POP3 wait returned (\"pop3a1:...\")");
   };
   const std::string prefix = kCursorPrefix;
   if (text.rfind(prefix, 0) != 0 || text.size() < prefix.size() + 2 || text[prefix.size() + 1] != ':')
      throw refuse();
   Cursor cursor;
   const char kind = text[prefix.size()];
   if (kind != 'c' && kind != 'p') throw refuse();
   cursor.complete = kind == 'c';
   std::size_t at = prefix.size() + 2;
   while (at < text.size()) {
      const std::size_t comma = std::min(text.find(',', at), text.size());
      const std::string hash = text.substr(at, comma - at);
      if (hash.size() != kHashDigits || hash.find_first_not_of("0123456789abcdef") != std::string::npos ||
          cursor.named.size() >= kNamed)
         throw refuse();
      cursor.named.insert(hash);
      at = comma + 1;
      if (comma + 1 == text.size()) throw refuse();  // a trailing comma
   }
   if (cursor.named.empty() && !cursor.complete) throw refuse();
   return cursor;
}

// The cursor after the first `seen` messages of `order`.
template <typename Entries>
std::string cursor_after(const Entries &order, std::size_t seen) {
   std::string text = kCursorPrefix;
   text += seen <= kNamed ? "c:" : "p:";
   for (std::size_t i = seen > kNamed ? seen - kNamed : 0; i < seen; ++i) {
      if (text.back() != ':') text += ',';
      text += hash_of(order[i]->uidl);
   }
   return text;
}

}  // namespace

Arrivals Pop3Mailbox::arrivals(const std::string &folder, const std::string &cursor_text,
                               const SearchQuery &filter, CallContext &context) {
   find_folder(folder, context);
   require_filters(filter);
   const Cursor cursor = cursor_text.empty() ? Cursor{} : parse_cursor(cursor_text);
   load(context);
   std::vector<Entry *> order;
   for (Entry &entry : entries_)
      if (!entry.deleted) order.push_back(&entry);
   Arrivals found;
   if (cursor_text.empty()) {
      found.cursor = cursor_after(order, order.size());
      return found;
   }
   std::vector<bool> named(order.size());
   std::size_t start = 0;  // new mail is at or after it
   bool anchored = false;
   for (std::size_t i = 0; i < order.size(); ++i) {
      named[i] = cursor.named.count(hash_of(order[i]->uidl)) != 0;
      if (named[i]) {
         start = i + 1;
         anchored = true;
      }
   }
   if (cursor.complete) start = 0;
   if (!anchored && !cursor.complete) {
      context.host().info("POP3: none of the messages the cursor remembers is left on " + client_.server() +
                          "; waiting from now on");
      found.cursor_reset = true;
      found.cursor = cursor_after(order, order.size());
      return found;
   }
   std::size_t seen = order.size();
   for (std::size_t next = start; next < order.size();) {
      std::vector<Entry *> batch, missing;
      std::vector<std::size_t> where;
      for (; next < order.size() && batch.size() < 50; ++next)
         if (!named[next]) {
            batch.push_back(order[next]);
            where.push_back(next);
            if (!order[next]->header) missing.push_back(order[next]);
         }
      read_headers(missing, context);
      for (std::size_t i = 0; i < batch.size(); ++i) {
         if (!matches(*batch[i]->header, filter)) continue;
         found.messages.push_back(summary_of(*batch[i]));
         if (found.messages.size() == kMostAtOnce) {
            seen = where[i] + 1;
            break;
         }
      }
      if (found.messages.size() == kMostAtOnce) break;
   }
   found.cursor = cursor_after(order, seen);
   return found;
}

}  // namespace email
