// ISO-2022-JP for Japanese recipients (mime/iso2022jp.h): the bytes RFC 1468 gives, the characters
// Windows types under other code points mapped as Windows maps them, half-width katakana made
// full-width, and what JIS X 0208 lacks named in the error. Run on Linux (glibc's iconv) and under
// Wine (win_iconv in GLib), which must agree byte for byte.
#include <doctest/doctest.h>

#include <glib.h>
#include <rpa_common/base64.h>

#include "mime/iso2022jp.h"
#include "util/failure.h"

using namespace email;

TEST_CASE("iso-2022-jp: Japanese text in JIS X 0208 between escape sequences, ending in ASCII") {
   CHECK(mime::to_iso2022jp("日本語のテキスト", "text") == "\x1b$BF|K\\8l$N%F%-%9%H\x1b(B");
   CHECK(mime::to_iso2022jp("Invoice 請求書 No. 5", "text") == "Invoice \x1b$B@A5a=q\x1b(B No. 5");
   CHECK(mime::to_iso2022jp("plain ASCII\r\n", "text") == "plain ASCII\r\n");
   CHECK(mime::to_iso2022jp("", "text").empty());
}

TEST_CASE("iso-2022-jp: Windows' tilde, minus and half-width katakana become JIS's") {
   CHECK(mime::to_iso2022jp("\xEF\xBD\x9E", "text") == "\x1b$B!A\x1b(B");  // U+FF5E -> WAVE DASH 0x2141
   CHECK(mime::jis_compatible("\xEF\xBD\x9E", "text") == "\xE3\x80\x9C");  // U+301C
   CHECK(mime::to_iso2022jp("ｶﾞｷﾞ", "text") == "\x1b$B%,%.\x1b(B");        // ガギ
   CHECK(mime::to_iso2022jp("\xEF\xBC\x8D", "text") == "\x1b$B!]\x1b(B");  // U+FF0D -> MINUS SIGN 0x215D
}

TEST_CASE("iso-2022-jp: characters outside JIS X 0208 are named, each once") {
   try {
      mime::to_iso2022jp("① 株式会社 ㈱ ① 😀", "subject");
      FAIL("no error");
   } catch (const Failure &failure) {
      const std::string said = failure.what();
      CHECK(failure.status() == RPA_INVALID_PROPERTIES);
      CHECK_MESSAGE(said.find("subject: cannot be sent in iso-2022-jp") != std::string::npos, said);
      CHECK_MESSAGE(said.find("\"①\" (U+2460), \"㈱\" (U+3231), \"😀\" (U+1F600)") != std::string::npos, said);
      CHECK_MESSAGE(said.find("株") == std::string::npos, said);
   }
   CHECK_THROWS_AS(mime::to_iso2022jp("\xff", "text"), Failure);  // not UTF-8
}

TEST_CASE("iso-2022-jp: a long subject becomes B words of at most 75 characters, each whole") {
   std::string subject;
   for (int i = 0; i < 8; ++i) subject += "請求書のご送付について（株式会社）";
   const std::string words = mime::encoded_words(subject, "subject", "\n ");
   std::string decoded;
   std::size_t count = 0;
   for (std::size_t start = 0; start < words.size();) {
      std::size_t end = words.find("\n ", start);
      if (end == std::string::npos) end = words.size();
      const std::string word = words.substr(start, end - start);
      CHECK(word.size() <= 75);
      REQUIRE(word.rfind("=?ISO-2022-JP?B?", 0) == 0);
      REQUIRE(word.size() > 18);
      auto bytes = rpa::base64_decode(word.substr(16, word.size() - 18));
      REQUIRE(bytes);
      const std::string jis(bytes->view());
      CHECK(jis.substr(jis.size() - 3) == "\x1b(B");  // each word ends in ASCII
      gsize written = 0;
      gchar *utf8 = g_convert(jis.data(), static_cast<gssize>(jis.size()), "UTF-8", "ISO-2022-JP", nullptr,
                              &written, nullptr);
      REQUIRE(utf8);
      decoded.append(utf8, written);
      g_free(utf8);
      ++count;
      start = end + 2;
   }
   CHECK(count > 3);
   CHECK(decoded == subject);
   CHECK(mime::encoded_words("ASCII only", "subject") == "ASCII only");
}
