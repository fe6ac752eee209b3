// Base64Decoder: base64 text that arrives in pieces of any size, decoded as it comes (OpenSSL's
// EVP_DecodeUpdate: white space and line breaks skipped, '=' padding at the end), into a sink in
// pieces of at most 48 KiB. Anything else in the text (an XML entity, markup) is not base64.
// For a message or an attachment too large to hold: EWS's MimeContent, an IMAP body part.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

struct evp_Encode_Ctx_st;

namespace email {

class Base64Decoder {
 public:
   using Sink = std::function<void(std::string_view bytes)>;

   Base64Decoder();  // throws Failure(internal) when out of memory
   ~Base64Decoder();
   Base64Decoder(const Base64Decoder &) = delete;
   Base64Decoder &operator=(const Base64Decoder &) = delete;

   // Decodes the next piece of text to `sink`; false when it is not base64 (then stop).
   bool update(std::string_view text, const Sink &sink);
   // The text has ended: writes what is left; false when it ended in the middle of a group.
   bool finish(const Sink &sink);

 private:
   std::unique_ptr<evp_Encode_Ctx_st, void (*)(evp_Encode_Ctx_st *)> context_;
   std::string out_;
};

}  // namespace email
