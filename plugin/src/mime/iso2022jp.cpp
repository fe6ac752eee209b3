#include "mime/iso2022jp.h"

#include <glib.h>
#include <rpa_common/base64.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "util/failure.h"

namespace email::mime {

namespace {

// Windows' code points for characters JIS X 0208 has under others (the CP932 / JIS differences).
gunichar jis_code_point(gunichar c) {
   switch (c) {
   case 0xFF5E: return 0x301C;  // FULLWIDTH TILDE -> WAVE DASH
   case 0x2225: return 0x2016;  // PARALLEL TO -> DOUBLE VERTICAL LINE
   case 0xFF0D: return 0x2212;  // FULLWIDTH HYPHEN-MINUS -> MINUS SIGN
   case 0xFFE0: return 0x00A2;  // FULLWIDTH CENT SIGN
   case 0xFFE1: return 0x00A3;  // FULLWIDTH POUND SIGN
   case 0xFFE2: return 0x00AC;  // FULLWIDTH NOT SIGN
   default: return c;
   }
}

bool halfwidth_katakana(gunichar c) { return c >= 0xFF61 && c <= 0xFF9F; }

// The character after the one at `at`, in valid UTF-8. (GLib's g_utf8_next_char reads its table
// g_utf8_skip, a variable, which the plugin's lazy GLib cannot reach: util/lazy_library.h.)
const char *next_char(const char *at) {
   const auto lead = static_cast<unsigned char>(*at);
   return at + (lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4);
}

std::string append_utf8(std::string out, gunichar c) {
   char bytes[8];
   out.append(bytes, static_cast<std::size_t>(g_unichar_to_utf8(c, bytes)));
   return out;
}

// Whether ISO-2022-JP bytes stay within RFC 1468: JIS X 0208's rows 1-8 and 16-84 in its
// two-byte mode. Windows' converter also writes the NEC and IBM extensions (row 13: ①, ㈱; rows
// 89-92: 髙) that other systems show as garbage, so those count as refused on every system.
bool within_jis0208(const std::string &bytes) {
   bool two_byte = false;
   for (std::size_t i = 0; i < bytes.size();) {
      if (bytes[i] == '\x1b' && i + 2 < bytes.size()) {
         two_byte = bytes[i + 1] == '$';
         i += 3;
         continue;
      }
      if (!two_byte) {
         ++i;
         continue;
      }
      const int row = static_cast<unsigned char>(bytes[i]) - 0x20;
      if ((row >= 9 && row <= 15) || row > 84 || row < 1) return false;
      i += 2;
   }
   return true;
}

// ISO-2022-JP of `utf8`; `ok` false when g_convert refuses it (a character JIS X 0208 lacks).
std::string convert(const std::string &utf8, bool &ok) {
   gsize written = 0;
   GError *error = nullptr;
   gchar *converted = g_convert(utf8.data(), static_cast<gssize>(utf8.size()), "ISO-2022-JP", "UTF-8",
                                nullptr, &written, &error);
   if (error) g_error_free(error);
   std::string out = converted ? std::string(converted, written) : std::string();
   g_free(converted);
   ok = converted != nullptr && within_jis0208(out);
   return out;
}

std::string describe(gunichar c) {
   char code[16];
   std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
   return "\"" + append_utf8("", c) + "\" (" + code + ")";
}

}  // namespace

std::string jis_compatible(std::string_view text, const std::string &member) {
   if (!g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr))
      throw Failure(RPA_INVALID_PROPERTIES, member + ": is not UTF-8 text");
   std::string mapped;
   mapped.reserve(text.size());
   const char *end = text.data() + text.size();
   for (const char *at = text.data(); at < end;) {
      if (halfwidth_katakana(g_utf8_get_char(at))) {  // the run, composed by NFKC (ｶﾞ -> ガ)
         const char *run = at;
         while (at < end && halfwidth_katakana(g_utf8_get_char(at))) at = next_char(at);
         gchar *full = g_utf8_normalize(run, at - run, G_NORMALIZE_NFKC);
         if (full) mapped += full;
         g_free(full);
         continue;
      }
      mapped = append_utf8(std::move(mapped), jis_code_point(g_utf8_get_char(at)));
      at = next_char(at);
   }
   bool ok = false;
   convert(mapped, ok);
   if (ok) return mapped;
   // Name what cannot go: each character tried alone (only on this error path).
   std::vector<gunichar> refused;
   for (const char *at = mapped.data(); at < mapped.data() + mapped.size(); at = next_char(at)) {
      const gunichar c = g_utf8_get_char(at);
      bool alone = false;
      if (c >= 0x80) convert(append_utf8("", c), alone);
      if (c >= 0x80 && !alone && refused.size() < 10 &&
          std::find(refused.begin(), refused.end(), c) == refused.end())
         refused.push_back(c);
   }
   std::string named;
   for (gunichar c : refused) named += (named.empty() ? "" : ", ") + describe(c);
   throw Failure(RPA_INVALID_PROPERTIES,
                 member + ": cannot be sent in iso-2022-jp, which carries JIS X 0208 only: " +
                     (named.empty() ? std::string("the text does not convert") : named) +
                     ". Replace them, or send in utf-8 (leave charset out)");
}

std::string to_iso2022jp(std::string_view text, const std::string &member) {
   const std::string mapped = jis_compatible(text, member);
   bool ok = false;
   std::string out = convert(mapped, ok);
   if (!ok) throw Failure(RPA_INVALID_PROPERTIES, member + ": cannot be sent in iso-2022-jp");
   return out;
}

std::string encoded_words(std::string_view text, const std::string &member, const char *separator) {
   const std::string mapped = jis_compatible(text, member);
   if (std::all_of(mapped.begin(), mapped.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
      return mapped;
   // Words of whole characters whose ISO-2022-JP is at most 42 bytes: 56 characters of base64,
   // 74 with "=?ISO-2022-JP?B?" and "?=".
   constexpr std::size_t kMaxBytes = 42;
   std::string words, chunk, chunk_bytes;
   const auto flush = [&] {
      if (chunk.empty()) return;
      words += (words.empty() ? "" : separator) + std::string("=?ISO-2022-JP?B?") +
               rpa::base64_text(chunk_bytes) + "?=";
      chunk.clear();
      chunk_bytes.clear();
   };
   for (const char *at = mapped.data(); at < mapped.data() + mapped.size();) {
      const char *next = next_char(at);
      const std::string longer = chunk + std::string(at, next - at);
      bool ok = false;
      std::string bytes = convert(longer, ok);
      if (!ok) throw Failure(RPA_INVALID_PROPERTIES, member + ": cannot be sent in iso-2022-jp");
      if (bytes.size() > kMaxBytes && !chunk.empty()) {
         flush();
         bytes = convert(std::string(at, next - at), ok);
         chunk = std::string(at, next - at);
      } else {
         chunk = longer;
      }
      chunk_bytes = bytes;
      at = next;
   }
   flush();
   return words;
}

}  // namespace email::mime
