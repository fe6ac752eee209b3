// The pure name rules of windows_sign_in/windows_sign_in.h, the same on every system.
#include "windows_sign_in/windows_sign_in.h"

namespace email {

std::string kerberos_principal(const std::string &username) {
   const std::size_t slash = username.find('\\');
   const std::size_t at = username.rfind('@');
   std::string user, realm;
   if (slash != std::string::npos) {
      user = username.substr(slash + 1);
      realm = username.substr(0, slash);
   } else if (at != std::string::npos) {
      user = username.substr(0, at);
      realm = username.substr(at + 1);
   } else {
      return username;
   }
   for (char &c : realm)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
   return user + "@" + realm;
}

std::string gss_service_name(const std::string &spn, const std::string &host) {
   if (spn.empty()) return "HTTP@" + host;
   const std::size_t slash = spn.find('/');
   if (slash == std::string::npos) return spn;  // already service@host
   std::string host_part = spn.substr(slash + 1);
   const std::size_t realm = host_part.find('@');  // "HTTP/host@REALM": the realm is spn_realm's
   if (realm != std::string::npos) host_part.erase(realm);
   const std::size_t port = host_part.find(':');  // "HTTP/host:443" names the same host
   if (port != std::string::npos) host_part.erase(port);
   return spn.substr(0, slash) + "@" + host_part;
}

std::string spn_realm(const std::string &spn) {
   const std::size_t slash = spn.find('/');
   const std::size_t at = spn.find('@', slash == std::string::npos ? spn.size() : slash);
   return at == std::string::npos ? "" : spn.substr(at + 1);
}

}  // namespace email
