// The stand-in's Items.Restrict: DASL filters ("@SQL=...") as Microsoft's "Filtering Items Using
// Query Keywords" and "Filtering Items Using a Date-time Comparison" describe them, for the
// properties the plugin filters by:
//   "urn:schemas:httpmail:read", "...:hasattachment"     = 0 / 1
//   "http://schemas.microsoft.com/mapi/proptag/0x10900003" (PR_FLAG_STATUS: 2 when flagged, absent else)
//   "urn:schemas:httpmail:datereceived"                   = <> < <= > >= 'date' (in UTC, the string read
//                                                         in the locale's format: VarDateFromStr)
//   "urn:schemas:httpmail:subject", "...:fromname", "...:fromemail", "...:displayto"
//                                                         = or LIKE '%text%' (case-insensitive; % any, _ one)
// joined by AND, OR, NOT and parentheses. A comparison with a property the item does not have is
// false. Anything else raises what Outlook raises for a filter it cannot parse.
#pragma once

#include <string>

#include "standin_mail.h"

namespace standin {

// Whether `message` passes `filter` (with or without its "@SQL=" prefix). Throws Raised.
bool passes(const std::wstring &filter, const MessageNode &message);

}  // namespace standin
