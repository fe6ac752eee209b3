// The search filter of the Outlook connection: a SearchQuery (mailbox/mailbox.h) as the DASL
// filter Outlook's Items.Restrict takes ("@SQL=..."), from Microsoft's "Filtering Items Using
// Query Keywords" and "Filtering Items Using a Date-time Comparison":
//
//   seen / unseen     "urn:schemas:httpmail:read" = 1 / 0
//   flagged           "http://schemas.microsoft.com/mapi/proptag/0x10900003" = 2 (PR_FLAG_STATUS,
//                     followupFlagged); not flagged: NOT (... = 2), which also holds where unset
//   has attachments   "urn:schemas:httpmail:hasattachment" = 1 / 0
//   since / before    "urn:schemas:httpmail:datereceived" >= / < 'date' (DASL compares in UTC; the
//                     date is written in the Windows locale's short date format, as Outlook reads it)
//   subject           "urn:schemas:httpmail:subject" LIKE '%text%'
//   from              "urn:schemas:httpmail:fromname" or "...:fromemail" LIKE '%text%'
//
// `to` has no filter here ("displayto" holds names, not addresses): the caller matches it, and
// from and subject once more (LIKE treats % and _ in the text as wildcards), on what Outlook
// returns. Platform-neutral, so it is tested on Linux.
#pragma once

#include <functional>
#include <string>

#include "mailbox/mailbox.h"

namespace email {

// The locale's text for midnight UTC of a date (Windows: VarBstrFromDate).
using DateText = std::function<std::string(const CalendarDate &date)>;

// "@SQL=..." for `query`, or "" when it filters by nothing Outlook can restrict. A wait for new
// mail adds `received_since`: "datereceived" >= that locale date-time text ("" = none).
std::string dasl_filter(const SearchQuery &query, const DateText &date_text,
                        const std::string &received_since = "");

// `text` as a DASL string literal's content: ' doubled.
std::string dasl_quoted(const std::string &text);

}  // namespace email
