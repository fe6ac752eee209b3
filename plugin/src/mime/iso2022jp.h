// UTF-8 text as ISO-2022-JP (RFC 1468: ASCII and JIS X 0208 in 7 bits, switched by escape
// sequences), for Japanese recipients whose mail systems still need it.
//
// Before converting, the characters Windows types under other code points than JIS X 0208's are
// mapped to JIS's, as Windows' own converter (CP50220) and Outlook map them: U+FF5E FULLWIDTH
// TILDE -> U+301C WAVE DASH, U+2225 -> U+2016, U+FF0D -> U+2212, U+FFE0 -> U+00A2, U+FFE1 ->
// U+00A3, U+FFE2 -> U+00AC; and half-width katakana become full-width (NFKC on that block, so
// ｶﾞ is ガ). Then GLib's g_convert converts (iconv: glibc's on Linux, win_iconv's on Windows).
// What JIS X 0208 still cannot carry (NEC and IBM extensions such as ①, ㈱ and 髙, emoji,
// Chinese-only characters) is an error that names each character.
#pragma once

#include <string>
#include <string_view>

namespace email::mime {

// The text JIS X 0208 can carry, mapped as above, still in UTF-8 (what GMime is given for
// headers it encodes in ISO-2022-JP itself). Throws Failure(invalid_properties): "`member`: ...
// cannot be sent in iso-2022-jp: "①" (U+2460), ..." (at most 10 named).
std::string jis_compatible(std::string_view utf8, const std::string &member);

// jis_compatible's text converted to ISO-2022-JP bytes (ending in ASCII, as RFC 1468 asks).
std::string to_iso2022jp(std::string_view utf8, const std::string &member);

}  // namespace email::mime
