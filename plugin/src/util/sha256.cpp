#include "util/sha256.h"

#include <openssl/evp.h>

#include <memory>

namespace email {

std::string sha256(std::initializer_list<std::string_view> parts) {
   std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> digest(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
   unsigned char hash[EVP_MAX_MD_SIZE];
   unsigned int size = 0;
   EVP_DigestInit_ex(digest.get(), EVP_sha256(), nullptr);
   for (std::string_view part : parts) EVP_DigestUpdate(digest.get(), part.data(), part.size());
   EVP_DigestFinal_ex(digest.get(), hash, &size);
   return std::string(reinterpret_cast<const char *>(hash), size);
}

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
   static const char hex[] = "0123456789abcdef";
   std::string out;
   for (unsigned char byte : sha256(parts)) {
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 15]);
   }
   return out;
}

}  // namespace email
