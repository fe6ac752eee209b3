#include "http/www_authenticate.h"

namespace email {

namespace {

// Where `word` begins a challenge in a WWW-Authenticate value (at its start or after a
// separator), searching from `from`; npos when nowhere.
std::size_t challenge_at(const std::string &www_authenticate, const std::string &word, std::size_t from = 0) {
   for (std::size_t at = from; (at = www_authenticate.find(word, at)) != std::string::npos; at += word.size())
      if (at == 0 || www_authenticate[at - 1] == ' ' || www_authenticate[at - 1] == ',') return at;
   return std::string::npos;
}

}  // namespace

std::string authentication_token(const std::string &www_authenticate, const std::string &scheme) {
   // "<Scheme> <base64>"; a bare scheme carries no token.
   const std::size_t at = challenge_at(www_authenticate, scheme + " ");
   if (at == std::string::npos) return "";
   std::string token = www_authenticate.substr(at + scheme.size() + 1);
   const std::size_t end = token.find_first_of(", ");
   if (end != std::string::npos) token.erase(end);
   return token;
}

bool offers_scheme(const std::string &www_authenticate, const std::string &scheme) {
   for (std::size_t at = challenge_at(www_authenticate, scheme); at != std::string::npos;
        at = challenge_at(www_authenticate, scheme, at + scheme.size())) {
      const std::size_t end = at + scheme.size();
      if (end == www_authenticate.size() || www_authenticate[end] == ' ' || www_authenticate[end] == ',')
         return true;
   }
   return false;
}

}  // namespace email
