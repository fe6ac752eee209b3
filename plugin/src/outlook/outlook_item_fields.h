// An Outlook item's fields as the mailbox interface needs them, read through Outlook's object model
// on the session's STA thread (outlook/outlook_session.h): what a search and a wait for new mail
// both read (outlook/outlook_items.h, outlook/outlook_arrivals.h). Errors are com::Error, except
// where a function says Failure. Windows only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mailbox/mailbox.h"
#include "outlook/com_dispatch.h"
#include "outlook/outlook_ref.h"
#include "outlook/outlook_state.h"

namespace email::outlook_items {

// MAPI properties read through PropertyAccessor (Microsoft's "Referencing Properties by Namespace")
// by more than one file.
inline constexpr char kInternetMessageId[] = "http://schemas.microsoft.com/mapi/proptag/0x1035001F";
inline constexpr char kLastVerbExecuted[] = "http://schemas.microsoft.com/mapi/proptag/0x10810003";

// A property of PropertyAccessor (a MAPI property by its schema name), or nullopt when the item
// has none (MAPI_E_NOT_FOUND and the like: an optional property is simply absent).
std::optional<com::Variant> property(const com::Object &object, const char *schema_name);
// The same as text, "" when absent.
std::string text_property(const com::Object &object, const char *schema_name);
// A member that not every item in a mail folder has (a delivery report has no sender): "" then.
std::string optional_text(const com::Object &object, const char *member);

// An Outlook date (local time, as Outlook gives dates) in UTC: RFC 3339 ("" for Outlook's "None"),
// or seconds since 1970 (nullopt for "None").
std::string rfc3339(double local_date);
std::optional<std::int64_t> unix_seconds(double local_date);
// A UTC time in the Windows locale's date format, as Outlook reads a DASL date (DASL compares in
// UTC): midnight of `date`, or the second `unix_seconds`. Throws Failure(invalid_properties).
std::string locale_date(const CalendarDate &date);
std::string locale_date_time(std::int64_t unix_seconds);

// The sender (its SMTP address where Outlook gives an Exchange DN), or nullopt when none.
std::optional<MailAddress> sender_of(const com::Object &item);
// The To and Cc recipients (Bcc left out).
void recipients_of(const com::Object &item, std::vector<MailAddress> &to, std::vector<MailAddress> &cc);

// NameSpace.GetFolderFromID / GetItemFromID in the session's store: throw Failure
// (folder_not_found, message_not_found) when Outlook no longer has it.
com::Object folder_by_id(OutlookState &state, const std::string &entry_id);
com::Object item_by_ref(OutlookState &state, const OutlookRef &ref);

// "outlook:<EntryID>:<StoreID>" (outlook/outlook_ref.h).
std::string ref_of(const com::Object &item, const std::string &store_id);
// The summary of a mail item in `folder` (a path); attachments unknown (nullopt).
MessageSummary summary_of(const com::Object &item, const std::string &folder, const std::string &store_id);

}  // namespace email::outlook_items
