#include "rpa_common/random_hex.h"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace rpa {

std::string random_hex(std::size_t bytes) {
   std::vector<unsigned char> random(bytes);
   if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
      throw std::runtime_error("the random number generator failed");
   static const char hex[] = "0123456789abcdef";
   std::string text;
   text.reserve(bytes * 2);
   for (unsigned char byte : random) {
      text += hex[byte >> 4];
      text += hex[byte & 15];
   }
   return text;
}

}  // namespace rpa
