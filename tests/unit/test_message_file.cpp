// The spooled message (mime/message_file.h): a large attachment decoded byte for byte from the
// spool in chunks (base64 across the chunks' edges, CRLF line breaks), and a quoted-printable part.
#include <doctest/doctest.h>

#include <string>

#include "message_file_helpers.h"
#include "mime/message_file.h"

using namespace email;

namespace {

std::string base64_lines(const std::string &bytes) {
   static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
   std::string encoded, line;
   std::size_t i = 0;
   for (; i + 2 < bytes.size(); i += 3) {
      const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                         static_cast<unsigned char>(bytes[i + 1]) << 8 |
                         static_cast<unsigned char>(bytes[i + 2]);
      for (int shift : {18, 12, 6, 0}) line += table[v >> shift & 63];
      if (line.size() == 76) {
         encoded += line + "\r\n";
         line.clear();
      }
   }
   if (i < bytes.size()) {  // one or two bytes left: padded
      const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                         (i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0);
      line += table[v >> 18 & 63];
      line += table[v >> 12 & 63];
      line += i + 1 < bytes.size() ? table[v >> 6 & 63] : '=';
      line += '=';
   }
   return encoded + line + "\r\n";
}

}  // namespace

TEST_CASE("a 5 MB attachment is decoded from the spool byte for byte, and a quoted-printable one too") {
   std::string payload(5 * 1024 * 1024 + 2, '\0');  // not a multiple of 3: padding at the end
   for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
   const std::string raw =
       "From: a@example.com\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
       "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\n"
       "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=big.bin\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n" +
       base64_lines(payload) +
       "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; "
       "filename=note.txt\r\n"
       "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 =\r\nau lait\r\n--b--\r\n";
   mime::MessageFile message([&](const ByteSink &sink) {
      for (std::size_t at = 0; at < raw.size(); at += 10000) sink(std::string_view(raw).substr(at, 10000));
   });
   REQUIRE(message.attachments().size() == 2);
   const std::string big = test::attachment_bytes(message, 0);
   CHECK(big.size() == payload.size());
   CHECK(big == payload);
   CHECK(test::attachment_bytes(message, 1) ==
         "caf\xC3\xA9 au lait");  // the CRLF before a boundary is the boundary's
}
