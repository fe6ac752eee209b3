#include "outlook/outlook_arrivals.h"

#include "outlook/item_add_events.h"
#include "outlook/outlook_errors.h"
#include "outlook/outlook_filter.h"
#include "outlook/outlook_item_fields.h"
#include "util/text.h"

namespace email::outlook_items {

namespace {

using com::Variant;

constexpr std::int64_t kRestrictSlack = 60;  // seconds before the cursor's that Restrict lets through

// When Outlook received the item, or nullopt when it never was (an unsent draft: Outlook's "None").
std::optional<std::int64_t> received_of(const com::Object &item) {
   try {
      return unix_seconds(item.get("ReceivedTime").as_date("ReceivedTime"));
   } catch (const com::Error &error) {
      if (com::is_busy(error.hr()) || error.hr() == RPC_E_DISCONNECTED) throw;
      return std::nullopt;
   }
}

long count_of(const com::Object &items) {
   return static_cast<long>(std::max<long long>(0, items.get("Count").as_number("Count")));
}

// The cursor after the newest item received (the seconds-0 cursor of an empty folder).
OutlookCursor newest(com::Object items) {
   items.call("Sort", {Variant::text("[ReceivedTime]"), Variant::boolean(true)});
   OutlookCursor cursor;
   std::optional<std::int64_t> second;
   const long count = count_of(items);
   for (long i = 1; i <= count; ++i) {
      com::Object item = items.call("Item", {Variant::number(i)}).object("Item");
      const std::optional<std::int64_t> received = received_of(item);
      if (!received) continue;  // "None" sorts first, newest of all
      if (second && *received != *second) break;
      second = received;
      cursor.pass(*received, item.get("EntryID").as_text("EntryID"));
   }
   return cursor;
}

}  // namespace

Arrivals arrivals(OutlookState &state, const FolderInfo &folder, const std::optional<OutlookCursor> &from,
                  const SearchQuery &filter) {
   return outlook_step("looking for new mail in the folder \"" + folder.path + "\"", [&] {
      com::Object items = folder_by_id(state, folder.wire_name).get("Items").object("Items");
      Arrivals found;
      if (!from) {
         found.cursor = newest(items).text();
         return found;
      }
      OutlookCursor cursor = *from;
      const std::string since =
          cursor.received() > kRestrictSlack ? locale_date_time(cursor.received() - kRestrictSlack) : "";
      const std::string restriction = dasl_filter(filter, locale_date, since);
      if (!restriction.empty())
         items = items.call("Restrict", {Variant::text(restriction)}).object("Restrict");
      items.call("Sort", {Variant::text("[ReceivedTime]"), Variant::boolean(false)});
      const long count = count_of(items);
      for (long i = 1; i <= count && found.messages.size() < Arrivals::kMostAtOnce; ++i) {
         com::Object item = items.call("Item", {Variant::number(i)}).object("Item");
         const std::optional<std::int64_t> received = received_of(item);
         if (!received) continue;
         const std::string entry_id = item.get("EntryID").as_text("EntryID");
         if (!cursor.is_new(*received, entry_id)) continue;
         cursor.pass(*received, entry_id);
         MessageSummary summary = summary_of(item, folder.path, state.store_id);
         // LIKE takes % and _ in the text as wildcards, and DASL has no filter for To: exactly here.
         if (!contains_ignoring_case(summary.subject, filter.subject) ||
             !matches_sender_and_recipients(filter, summary.from, summary.to))
            continue;
         found.messages.push_back(std::move(summary));
      }
      found.cursor = cursor.text();
      return found;
   });
}

std::string listen(OutlookState &state, const std::string &folder_id, std::shared_ptr<ChangeSignal> signal) {
   try {
      if (!state.item_add) state.item_add = std::make_unique<ItemAddEvents>();
      if (state.item_add->retarget(folder_id, signal)) return "";  // advised there: no call to Outlook
      com::Object items = folder_by_id(state, folder_id).get("Items").object("Items");
      state.item_add->listen(folder_id, items, std::move(signal));
      return "";
   } catch (const com::Error &error) {
      if (com::is_busy(error.hr()) || error.hr() == RPC_E_DISCONNECTED)
         throw outlook_failure(error, "listening");
      return printable(error.description(), 200) + " (" + error.member() + ", " + hresult_text(error.hr()) +
             ")";
   }
}

}  // namespace email::outlook_items
