// The fast path for address headers (From, To, Cc) in a summary: most are a plain list,
// "a@b.example, Name <c@d.example>" in printable ASCII with nothing to decode or unquote, and
// reading those here costs a fraction of building GMime's InternetAddressList objects (17% of an
// IMAP listing's CPU went there). Anything else (encoded words, quoted or commented names,
// groups, routes, 8-bit text, odd spacing) is not plain and goes to GMime (mime/header_summary.h).
// Fuzzed against GMime in fuzz/targets/plain_addresses.cpp: what this accepts, GMime reads the same.
#pragma once

#include <string_view>
#include <vector>

#include "mailbox/mailbox.h"

namespace email::mime {

// Appends the mailboxes of `value` to `out` (at most 1,000 in `out`) and returns true when the
// list is plain; returns false, with `out` unchanged, when it is not.
bool read_plain_addresses(std::string_view value, std::vector<MailAddress> &out);

}  // namespace email::mime
