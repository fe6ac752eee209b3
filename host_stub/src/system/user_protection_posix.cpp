// system/user_protection.h on Linux: not available.
#include "system/user_protection.h"

#include <stdexcept>

namespace rpa_host {

bool user_protection_available() { return false; }

std::string protect_for_user(const rpa::SecretString &) {
   throw std::runtime_error(
       "Linux keeps no secrets for its user as Windows' DPAPI does: give the vault a passphrase");
}

rpa::SecretString unprotect_for_user(std::string_view) {
   throw std::runtime_error(
       "the vault has no passphrase: Windows keeps its key for the Windows user who made it "
       "(DPAPI); open it on Windows as that user");
}

}  // namespace rpa_host
