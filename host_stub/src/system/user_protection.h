// Secrets kept for the signed-in Windows user, so that a vault needs no passphrase there: DPAPI
// (CryptProtectData / CryptUnprotectData with the user's own key, no prompt). Only that user, on
// that machine (or with a roaming profile), gets them back. Linux has nothing alike: the vault takes
// a passphrase there. Implementations: user_protection_posix.cpp, user_protection_windows.cpp.
#pragma once

#include <string>
#include <string_view>

#include "rpa_common/secret.h"

namespace rpa_host {

// Whether this system can keep secrets for its user (Windows: yes).
bool user_protection_available();

// What to keep in a file for `secret`. Throws std::runtime_error with the system's reason.
std::string protect_for_user(const rpa::SecretString &secret);

// The secret back. Throws std::runtime_error with the system's reason (another user's, or altered).
rpa::SecretString unprotect_for_user(std::string_view kept);

}  // namespace rpa_host
