// trust_store on Linux (net/trust_store.h): OpenSSL's default CA directory or bundle.
#include "net/trust_store.h"

#include <dirent.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>

namespace email {

namespace {

// True when `directory` holds at least one hashed certificate entry ("1a2b3c4d.0").
bool has_hashed_entries(const std::string &directory) {
   DIR *dir = ::opendir(directory.c_str());
   if (!dir) return false;
   bool found = false;
   while (dirent *entry = ::readdir(dir)) {
      const std::string name = entry->d_name;
      if (name.size() >= 10 && name[8] == '.' && name.find_first_not_of("0123456789abcdef") == 8) {
         found = true;
         break;
      }
   }
   ::closedir(dir);
   return found;
}

// The system store, lazily: the hashed directory (or directories) looked up on demand; the bundle
// file parsed only when SSL_CERT_FILE names one or no directory has hashed entries.
}  // namespace

bool load_system_trust(SSL_CTX *ctx) {
   const char *env_file = std::getenv(X509_get_default_cert_file_env());
   const char *env_dir = std::getenv(X509_get_default_cert_dir_env());
   const std::string dirs = env_dir && *env_dir ? env_dir : X509_get_default_cert_dir();
   bool any_hashed = false;
   for (std::size_t start = 0; start <= dirs.size();) {
      std::size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      any_hashed = any_hashed || has_hashed_entries(dirs.substr(start, end - start));
      start = end + 1;
   }
   bool loaded = false;
   if (any_hashed) loaded = SSL_CTX_load_verify_dir(ctx, dirs.c_str()) == 1;
   if (env_file && *env_file)
      loaded = SSL_CTX_load_verify_file(ctx, env_file) == 1 || loaded;
   else if (!any_hashed)
      loaded = SSL_CTX_load_verify_file(ctx, X509_get_default_cert_file()) == 1;
   return loaded;
}

std::string file_stamp(const std::string &path) {
   struct stat info {};
   if (::stat(path.c_str(), &info) != 0) return "missing";
   return std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec) + ":" +
          std::to_string(info.st_size);
}

}  // namespace email
