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

#include <gmime/gmime.h>

namespace email::mime {

// The text JIS X 0208 can carry, mapped as above, still in UTF-8 (what GMime is given for
// headers it encodes in ISO-2022-JP itself). Throws Failure(invalid_properties): "`member`: ...
// cannot be sent in iso-2022-jp: "①" (U+2460), ..." (at most 10 named).
std::string jis_compatible(std::string_view utf8, const std::string &member);

// jis_compatible's text converted to ISO-2022-JP bytes (ending in ASCII, as RFC 1468 asks).
std::string to_iso2022jp(std::string_view utf8, const std::string &member);

// `utf8` as RFC 2047 encoded words in ISO-2022-JP with the B encoding, as RFC 1468 and Japanese
// mail readers expect ("=?ISO-2022-JP?B?...?="), each word at most 75 characters and whole in
// itself (it ends in ASCII), separated by `separator` (" ", or "\n " to fold a header between
// them); text that is ASCII is returned as it is.
std::string encoded_words(std::string_view utf8, const std::string &member, const char *separator = " ");

// Sets `message`'s Subject (to `subject`) and writes it, From, To, Cc and Reply-To in ISO-2022-JP:
// their display names and the subject as encoded_words, one address a line
// (mime/iso2022jp_headers.cpp). GMime's own encoder would write Q words, which Japanese readers
// often cannot read. Call it after the address lists are complete. Throws as jis_compatible.
void headers_in_iso2022jp(GMimeMessage *message, const std::string &subject);

}  // namespace email::mime
