#include "outlook/outlook_items.h"

#include <windows.h>

#include <algorithm>
#include <cstdio>

#include "outlook/outlook_compose.h"
#include "outlook/outlook_errors.h"
#include "outlook/outlook_filter.h"
#include "outlook/outlook_item_fields.h"
#include "rpa_common/utf16.h"
#include "util/text.h"

namespace email::outlook_items {

namespace {

using com::Variant;

// MAPI properties read through PropertyAccessor (Microsoft's "Referencing Properties by Namespace").
constexpr const char kTransportHeaders[] = "http://schemas.microsoft.com/mapi/proptag/0x007D001F";
constexpr const char kIconIndex[] = "http://schemas.microsoft.com/mapi/proptag/0x10800003";
constexpr const char kAttachMimeTag[] = "http://schemas.microsoft.com/mapi/proptag/0x370E001F";
constexpr const char kAttachContentId[] = "http://schemas.microsoft.com/mapi/proptag/0x3712001F";

constexpr long kFolderDeletedItems = 3;
constexpr long kMarkNoDate = 4;   // OlMarkInterval.olMarkNoDate
constexpr long kFormatPlain = 1;  // OlBodyFormat.olFormatPlain
constexpr long kByReference = 4;  // OlAttachmentType.olByReference: a link, no bytes

}  // namespace

SearchPage search(OutlookState &state, const FolderInfo &folder, const SearchQuery &query) {
   std::size_t offset = 0;
   if (!query.cursor.empty()) {
      if (query.cursor.size() > 9 || query.cursor.find_first_not_of("0123456789") != std::string::npos)
         throw Failure(RPA_INVALID_PROPERTIES, "cursor: \"" + printable(query.cursor, 40) +
                                                   "\" is not a cursor of an Outlook search");
      offset = std::stoul(query.cursor);
   }
   const std::string filter = dasl_filter(query, locale_date);
   return outlook_step("searching the folder \"" + folder.path + "\"", [&] {
      com::Object items = folder_by_id(state, folder.wire_name).get("Items").object("Items");
      if (!filter.empty()) items = items.call("Restrict", {Variant::text(filter)}).object("Restrict");
      items.call("Sort", {Variant::text("[ReceivedTime]"), Variant::boolean(query.newest_first)});
      const std::size_t count =
          static_cast<std::size_t>(std::max<long long>(0, items.get("Count").as_number("Count")));
      SearchPage page;
      const bool narrowed_here = !query.to.empty() || !query.from.empty() || !query.subject.empty();
      if (!narrowed_here) page.total = count;
      std::size_t position = offset;
      while (position < count && page.messages.size() < query.limit) {
         ++position;
         com::Object item = items.call("Item", {Variant::number(static_cast<long>(position))}).object("Item");
         MessageSummary summary = summary_of(item, folder.path, state.store_id);
         // LIKE takes % and _ in the text as wildcards, and DASL has no filter for To: exactly here.
         if (!contains_ignoring_case(summary.subject, query.subject) ||
             !matches_sender_and_recipients(query, summary.from, summary.to))
            continue;
         page.messages.push_back(std::move(summary));
      }
      if (position < count) page.next_cursor = std::to_string(position);
      return page;
   });
}

OutlookItemContent content(OutlookState &state, const OutlookRef &ref, const PrivateDirectory &directory) {
   com::Object item = item_by_ref(state, ref);
   return outlook_step("reading the message", [&] {
      OutlookItemContent content;
      content.transport_headers = text_property(item, kTransportHeaders);
      content.from = sender_of(item);
      recipients_of(item, content.to, content.cc);
      content.subject = optional_text(item, "Subject");
      for (const char *when : {"SentOn", "ReceivedTime"}) {
         if (content.date) break;
         try {
            content.date = unix_seconds(item.get(when).as_date(when));
         } catch (const com::Error &error) {
            if (com::is_busy(error.hr()) || error.hr() == RPC_E_DISCONNECTED) throw;
         }
      }
      content.message_id = text_property(item, kInternetMessageId);
      content.text = optional_text(item, "Body");
      if (item.get("BodyFormat").as_number("BodyFormat") != kFormatPlain)
         content.html = optional_text(item, "HTMLBody");
      com::Object attachments = item.get("Attachments").object("Attachments");
      const long count = static_cast<long>(attachments.get("Count").as_number("Count"));
      for (long i = 1; i <= count; ++i) {
         com::Object attachment = attachments.call("Item", {Variant::number(i)}).object("Item");
         if (attachment.get("Type").as_number("Type") == kByReference) continue;  // a link: no bytes to save
         OutlookAttachment saved;
         saved.name = optional_text(attachment, "FileName");
         if (saved.name.empty()) saved.name = optional_text(attachment, "DisplayName");
         saved.content_type = text_property(attachment, kAttachMimeTag);
         saved.content_id = text_property(attachment, kAttachContentId);
         saved.file = directory.file(std::to_string(i));  // never the attachment's own name on disk
         attachment.call("SaveAsFile", {Variant::text(saved.file)});
         content.attachments.push_back(std::move(saved));
      }
      return content;
   });
}

void set_flags(OutlookState &state, const OutlookRef &ref, FlagChange seen, FlagChange flagged) {
   com::Object item = item_by_ref(state, ref);
   outlook_step("marking the message", [&] {
      if (seen != FlagChange::keep) item.put("UnRead", Variant::boolean(seen == FlagChange::clear));
      if (flagged == FlagChange::set) item.call("MarkAsTask", {Variant::number(kMarkNoDate)});
      if (flagged == FlagChange::clear) item.call("ClearTaskFlag");
      item.call("Save");
   });
}

void mark_answered(OutlookState &state, const OutlookRef &ref, Answered how) {
   com::Object item = item_by_ref(state, ref);
   outlook_step("marking the message answered", [&] {
      com::Object accessor = item.get("PropertyAccessor").object("PropertyAccessor");
      accessor.call("SetProperty",
                    {Variant::text(kLastVerbExecuted), Variant::number(last_verb_executed(how))});
      accessor.call("SetProperty", {Variant::text(kIconIndex), Variant::number(icon_index(how))});
      item.call("Save");
   });
}

std::string transfer(OutlookState &state, const OutlookRef &ref, const std::string &folder_id, bool copy) {
   com::Object item = item_by_ref(state, ref);
   com::Object target = folder_by_id(state, folder_id);
   return outlook_step(copy ? "copying the message" : "moving the message", [&] {
      com::Object moving = copy ? item.call("Copy").object("Copy") : item;
      com::Object moved = moving.call("Move", {Variant::dispatch(target)}).object("Move");
      return ref_of(moved, state.store_id);
   });
}

std::string remove(OutlookState &state, const OutlookRef &ref, bool permanently) {
   com::Object item = item_by_ref(state, ref);
   return outlook_step("deleting the message", [&]() -> std::string {
      com::Object trash = state.default_folder(kFolderDeletedItems);
      const std::string trash_id = trash.get("EntryID").as_text("EntryID");
      const bool in_trash = item.get("Parent").object("Parent").get("EntryID").as_text("EntryID") == trash_id;
      if (in_trash) {
         item.call("Delete");
         return "deleted for good (it was in Deleted Items)";
      }
      if (!permanently) {
         item.call("Delete");
         return "moved to Deleted Items";
      }
      item.call("Move", {Variant::dispatch(trash)}).object("Move").call("Delete");
      return "deleted for good";
   });
}

std::string add(OutlookState &state, const std::string &folder_id, const OutlookNewItem &message) {
   com::Object folder = folder_by_id(state, folder_id);
   return outlook_step("storing the message", [&] {
      com::Object item = folder.get("Items").object("Items").call("Add", {Variant::number(0)}).object("Add");
      fill_item(item, message);
      item.call("Save");
      return ref_of(item, state.store_id);
   });
}

}  // namespace email::outlook_items
