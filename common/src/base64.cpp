#include "rpa_common/base64.h"

#include <openssl/evp.h>

namespace rpa {

SecretString base64_encode(std::string_view bytes) {
   SecretString out;
   out.reserve(4 * ((bytes.size() + 2) / 3) + 1);
   int written =
       EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.mutable_data()),
                       reinterpret_cast<const unsigned char *>(bytes.data()), static_cast<int>(bytes.size()));
   out.resize_within_capacity(static_cast<std::size_t>(written));
   return out;
}

std::string base64_text(std::string_view bytes) {
   std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
   const int written =
       EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                       reinterpret_cast<const unsigned char *>(bytes.data()), static_cast<int>(bytes.size()));
   out.resize(written > 0 ? static_cast<std::size_t>(written) : 0);
   return out;
}

std::optional<SecretString> base64_decode(std::string_view text) {
   if (text.size() % 4 != 0) return std::nullopt;
   SecretString out;
   out.reserve(3 * (text.size() / 4) + 1);
   if (text.empty()) return out;
   int written =
       EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.mutable_data()),
                       reinterpret_cast<const unsigned char *>(text.data()), static_cast<int>(text.size()));
   if (written < 0) return std::nullopt;
   // EVP_DecodeBlock counts padding as zero bytes; remove them.
   std::size_t size = static_cast<std::size_t>(written);
   if (text.size() >= 1 && text[text.size() - 1] == '=') --size;
   if (text.size() >= 2 && text[text.size() - 2] == '=') --size;
   out.resize_within_capacity(size);
   return out;
}

}  // namespace rpa
