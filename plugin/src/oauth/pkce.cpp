#include "oauth/pkce.h"

#include <openssl/rand.h>

#include "util/failure.h"
#include "util/sha256.h"

namespace email {

std::string base64url(std::string_view bytes) {
   SecretString standard = base64_encode(bytes);
   std::string text(standard.view());
   for (char &c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
   while (!text.empty() && text.back() == '=') text.pop_back();
   return text;
}

SecretString random_url_token(std::size_t bytes) {
   SecretString random;
   random.reserve(bytes);
   if (RAND_bytes(reinterpret_cast<unsigned char *>(random.mutable_data()), static_cast<int>(bytes)) != 1)
      throw Failure(RPA_INTERNAL, "the random number generator failed");
   random.resize_within_capacity(bytes);
   SecretString standard = base64_encode(random.view());
   SecretString token;
   token.reserve(standard.size());
   for (char c : standard.view()) {
      if (c == '=') break;
      token.append(c == '+' ? '-' : c == '/' ? '_' : c);
   }
   return token;
}

std::string pkce_s256_challenge(std::string_view verifier) { return base64url(sha256({verifier})); }

}  // namespace email
