// outlook/outlook_item_fields.h: an item's fields as Outlook's object model gives them.
#include "outlook/outlook_item_fields.h"

#include <windows.h>

#include <algorithm>
#include <cstdio>

#include "outlook/outlook_errors.h"
#include "rpa_common/utf16.h"
#include "util/failure.h"

namespace email::outlook_items {

using com::Variant;

namespace {

// MAPI properties read through PropertyAccessor (Microsoft's "Referencing Properties by Namespace").
constexpr const char kSmtpAddress[] = "http://schemas.microsoft.com/mapi/proptag/0x39FE001F";

constexpr long kFlagMarked = 2;  // OlFlagStatus.olFlagMarked
constexpr long kRecipientTo = 1, kRecipientCc = 2;
constexpr long kVerbReply = 102, kVerbReplyAll = 103;
constexpr double kNoDate = 949998.0;  // 4501-01-01, Outlook's "None"

// Local time (as Outlook gives dates) to UTC; false for Outlook's "None".
bool utc_of(double local_date, SYSTEMTIME &utc) {
   if (local_date >= kNoDate) return false;
   SYSTEMTIME local{};
   return VariantTimeToSystemTime(local_date, &local) &&
          TzSpecificLocalTimeToSystemTime(nullptr, &local, &utc);
}

// The SMTP address of an address entry or recipient whose Address is an Exchange DN.
std::string smtp_address(const com::Object &holder, const std::string &address) {
   if (address.find('@') != std::string::npos) return address;
   const std::string smtp = text_property(holder, kSmtpAddress);
   return smtp.empty() ? address : smtp;
}

}  // namespace

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

std::string optional_text(const com::Object &object, const char *member) {
   try {
      return object.get(member).as_text(member);
   } catch (const com::Error &error) {
      if (com::is_busy(error.hr()) || error.hr() == RPC_E_DISCONNECTED || is_guard_refusal(error)) throw;
      return "";
   }
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

namespace {

std::string locale_text(SYSTEMTIME utc) {
   double value = 0;
   BSTR text = nullptr;
   if (!SystemTimeToVariantTime(&utc, &value) ||
       FAILED(VarBstrFromDate(value, LOCALE_USER_DEFAULT, 0, &text)))
      throw Failure(RPA_INVALID_PROPERTIES, "a date cannot be written in this machine's date format");
   std::string utf8 = rpa::narrow(std::wstring_view(text, SysStringLen(text)));
   SysFreeString(text);
   return utf8;
}

}  // namespace

std::string locale_date(const CalendarDate &date) {
   SYSTEMTIME midnight{};
   midnight.wYear = static_cast<WORD>(date.year);
   midnight.wMonth = static_cast<WORD>(date.month);
   midnight.wDay = static_cast<WORD>(date.day);
   return locale_text(midnight);
}

std::string locale_date_time(std::int64_t unix_seconds) {
   const std::uint64_t ticks = static_cast<std::uint64_t>(unix_seconds + 11644473600LL) * 10000000ULL;
   FILETIME file{static_cast<DWORD>(ticks), static_cast<DWORD>(ticks >> 32)};
   SYSTEMTIME utc{};
   if (!FileTimeToSystemTime(&file, &utc))
      throw Failure(RPA_INVALID_PROPERTIES, "a date cannot be written in this machine's date format");
   return locale_text(utc);
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

}  // namespace email::outlook_items
