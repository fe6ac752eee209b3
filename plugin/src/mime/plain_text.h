// The fast paths for a summary's Subject and Message-ID: most are plain ASCII ("Invoice 42",
// "<abc.123@example.com>"), and GMime's decoders give them back unchanged (the subject) or
// without the angle brackets (the Message-ID); reading those here saves the decoder's
// tokenising and its allocations for every message of a listing. Anything else (encoded words,
// 8-bit text, comments, quoted local parts, domain literals, white space inside) is left to GMime
// (mime/header_summary.h). Fuzzed against GMime in fuzz/targets/plain_text.cpp: what these
// accept, GMime decodes to the same text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace email::mime {

// An unfolded Subject value of printable ASCII and spaces with no encoded word ("=?"), with its
// leading white space removed; nullopt for anything else.
std::optional<std::string> read_plain_subject(std::string_view value);

// An unfolded Message-ID value "<dot-atom@dot-atom>" (RFC 5322 3.6.4's common form, spaces
// around it allowed), as the summary shows it: "<id@domain>"; nullopt for anything else.
std::optional<std::string> read_plain_message_id(std::string_view value);

}  // namespace email::mime
