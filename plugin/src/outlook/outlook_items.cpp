#include "outlook/outlook_items.h"

#include <windows.h>

#include <algorithm>
#include <cstdio>

#include "outlook/outlook_compose.h"
#include "outlook/outlook_errors.h"
#include "outlook/outlook_filter.h"
#include "rpa_common/utf16.h"
#include "util/text.h"

namespace email::outlook_items {

namespace {

using com::Variant;

// MAPI properties read through PropertyAccessor (Microsoft's "Referencing Properties by Namespace").
constexpr const char kTransportHeaders[] = "http://schemas.microsoft.com/mapi/proptag/0x007D001F";
constexpr const char kInternetMessageId[] = "http://schemas.microsoft.com/mapi/proptag/0x1035001F";
constexpr const char kLastVerbExecuted[] = "http://schemas.microsoft.com/mapi/proptag/0x10810003";
constexpr const char kIconIndex[] = "http://schemas.microsoft.com/mapi/proptag/0x10800003";
constexpr const char kAttachMimeTag[] = "http://schemas.microsoft.com/mapi/proptag/0x370E001F";
constexpr const char kAttachContentId[] = "http://schemas.microsoft.com/mapi/proptag/0x3712001F";
constexpr const char kSmtpAddress[] = "http://schemas.microsoft.com/mapi/proptag/0x39FE001F";

constexpr long kFolderDeletedItems = 3;
constexpr long kMarkNoDate = 4;   // OlMarkInterval.olMarkNoDate
constexpr long kFlagMarked = 2;   // OlFlagStatus.olFlagMarked
constexpr long kFormatPlain = 1;  // OlBodyFormat.olFormatPlain
constexpr long kByReference = 4;  // OlAttachmentType.olByReference: a link, no bytes
constexpr long kRecipientTo = 1, kRecipientCc = 2;
constexpr long kVerbReply = 102, kVerbReplyAll = 103;
constexpr double kNoDate = 949998.0;  // 4501-01-01, Outlook's "None"

// A property of PropertyAccessor, or nullopt when the item has none (MAPI_E_NOT_FOUND and the
// like: an optional property is simply absent).
std::optional<Variant> property(const com::Object &object, const char *schema_name) {
   try {
      return object.get("PropertyAccessor")
          .object("PropertyAccessor")
          .call("GetProperty", {Variant::text(schema_name)});
   } catch (const com::Error &error) {
      if (com::is_busy(error.hr()) || error.hr() == RPC_E_DISCONNECTED) throw;
      return std::nullopt;
   }
}

std::string text_property(const com::Object &object, const char *schema_name) {
   const std::optional<Variant> value = property(object, schema_name);
   return value ? value->as_text(schema_name) : "";
}

// A member that not every item in a mail folder has (a delivery report has no sender): "" then.
std::string optional_text(const com::Object &object, const char *member) {
   try {
      return object.get(member).as_text(member);
   } catch (const com::Error &error) {
      if (com::is_busy(error.hr()) || error.hr() == RPC_E_DISCONNECTED || is_guard_refusal(error)) throw;
      return "";
   }
}

// Local time (as Outlook gives dates) to UTC; false for Outlook's "None".
bool utc_of(double local_date, SYSTEMTIME &utc) {
   if (local_date >= kNoDate) return false;
   SYSTEMTIME local{};
   return VariantTimeToSystemTime(local_date, &local) &&
          TzSpecificLocalTimeToSystemTime(nullptr, &local, &utc);
}

std::string rfc3339(double local_date) {
   SYSTEMTIME utc{};
   if (!utc_of(local_date, utc)) return "";
   char text[32];
   std::snprintf(text, sizeof text, "%04u-%02u-%02uT%02u:%02u:%02uZ", utc.wYear, utc.wMonth, utc.wDay,
                 utc.wHour, utc.wMinute, utc.wSecond);
   return text;
}

std::optional<std::int64_t> unix_seconds(double local_date) {
   SYSTEMTIME utc{};
   FILETIME file{};
   if (!utc_of(local_date, utc) || !SystemTimeToFileTime(&utc, &file)) return std::nullopt;
   const std::int64_t ticks = (static_cast<std::int64_t>(file.dwHighDateTime) << 32) | file.dwLowDateTime;
   return ticks / 10000000 - 11644473600LL;
}

// Midnight UTC of `date` in the Windows locale's short date format, as Outlook reads a DASL date.
std::string locale_date(const CalendarDate &date) {
   SYSTEMTIME midnight{};
   midnight.wYear = static_cast<WORD>(date.year);
   midnight.wMonth = static_cast<WORD>(date.month);
   midnight.wDay = static_cast<WORD>(date.day);
   double value = 0;
   BSTR text = nullptr;
   if (!SystemTimeToVariantTime(&midnight, &value) ||
       FAILED(VarBstrFromDate(value, LOCALE_USER_DEFAULT, 0, &text)))
      throw Failure(RPA_INVALID_PROPERTIES,
                    "a date of the search cannot be written in this machine's date format");
   std::string utf8 = rpa::narrow(std::wstring_view(text, SysStringLen(text)));
   SysFreeString(text);
   return utf8;
}

// The SMTP address of an address entry or recipient whose Address is an Exchange DN.
std::string smtp_address(const com::Object &holder, const std::string &address) {
   if (address.find('@') != std::string::npos) return address;
   const std::string smtp = text_property(holder, kSmtpAddress);
   return smtp.empty() ? address : smtp;
}

std::optional<MailAddress> sender_of(const com::Object &item) {
   MailAddress sender{optional_text(item, "SenderName"), optional_text(item, "SenderEmailAddress")};
   if (sender.address.find('@') == std::string::npos && !sender.address.empty()) {
      try {  // an Exchange sender: its SMTP address through the address entry
         const std::string smtp = item.get("Sender")
                                      .object("Sender")
                                      .call("GetExchangeUser")
                                      .object("GetExchangeUser")
                                      .get("PrimarySmtpAddress")
                                      .as_text("PrimarySmtpAddress");
         if (!smtp.empty()) sender.address = smtp;
      } catch (const com::Error &error) {
         if (com::is_busy(error.hr()) || error.hr() == RPC_E_DISCONNECTED) throw;
      }
   }
   if (sender.name.empty() && sender.address.empty()) return std::nullopt;
   if (sender.name == sender.address) sender.name.clear();
   return sender;
}

void recipients_of(const com::Object &item, std::vector<MailAddress> &to, std::vector<MailAddress> &cc) {
   com::Object recipients = item.get("Recipients").object("Recipients");
   const long count = static_cast<long>(recipients.get("Count").as_number("Count"));
   for (long i = 1; i <= count; ++i) {
      com::Object recipient = recipients.call("Item", {Variant::number(i)}).object("Item");
      const long type = static_cast<long>(recipient.get("Type").as_number("Type"));
      if (type != kRecipientTo && type != kRecipientCc) continue;  // Bcc
      MailAddress address{recipient.get("Name").as_text("Name"), ""};
      address.address = smtp_address(recipient, recipient.get("Address").as_text("Address"));
      if (address.name == address.address) address.name.clear();
      (type == kRecipientTo ? to : cc).push_back(std::move(address));
   }
}

com::Object folder_by_id(OutlookState &state, const std::string &entry_id) {
   try {
      return state.mapi.call("GetFolderFromID", {Variant::text(entry_id), Variant::text(state.store_id)})
          .object("GetFolderFromID");
   } catch (const com::Error &error) {
      if (error.hr() == outlook_hr::kMapiNotFound)
         throw Failure(RPA_FOLDER_NOT_FOUND,
                       "Outlook no longer has the folder (it was moved or deleted since the "
                       "session listed it)");
      throw outlook_failure(error, "opening the folder");
   }
}

com::Object item_by_ref(OutlookState &state, const OutlookRef &ref) {
   try {
      return state.mapi.call("GetItemFromID", {Variant::text(ref.entry_id), Variant::text(ref.store_id)})
          .object("GetItemFromID");
   } catch (const com::Error &error) {
      if (error.hr() == outlook_hr::kMapiNotFound || error.hr() == E_INVALIDARG)
         throw Failure(RPA_MESSAGE_NOT_FOUND,
                       "Outlook has no message with this reference any more (it was "
                       "moved or deleted)");
      throw outlook_failure(error, "opening the message");
   }
}

std::string ref_of(const com::Object &item, const std::string &store_id) {
   return make_outlook_ref(item.get("EntryID").as_text("EntryID"), store_id);
}

MessageSummary summary_of(const com::Object &item, const std::string &folder, const std::string &store_id) {
   MessageSummary summary;
   summary.ref = ref_of(item, store_id);
   summary.folder = folder;
   summary.subject = optional_text(item, "Subject");
   summary.from = sender_of(item);
   recipients_of(item, summary.to, summary.cc);
   try {
      summary.date = rfc3339(item.get("ReceivedTime").as_date("ReceivedTime"));
   } catch (const com::Error &error) {
      if (com::is_busy(error.hr()) || error.hr() == RPC_E_DISCONNECTED) throw;
   }
   summary.size = static_cast<std::uint64_t>(std::max<long long>(0, item.get("Size").as_number("Size")));
   summary.seen = !item.get("UnRead").as_boolean("UnRead");
   summary.flagged = item.get("FlagStatus").as_number("FlagStatus") == kFlagMarked;
   if (const std::optional<Variant> verb = property(item, kLastVerbExecuted)) {
      const long long last = verb->as_number(kLastVerbExecuted);
      summary.answered = last == kVerbReply || last == kVerbReplyAll;
   }
   summary.message_id = text_property(item, kInternetMessageId);
   return summary;  // attachments: not known without a call per attachment (nullopt)
}

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
