// system/user_protection.h on Windows: DPAPI for the current user, without any prompt.
#include "system/user_protection.h"

#include <stdexcept>

#include <windows.h>
#include <dpapi.h>

#include "rpa_common/utf16.h"

namespace rpa_host {

bool user_protection_available() { return true; }

std::string protect_for_user(const rpa::SecretString &secret) {
   DATA_BLOB in{static_cast<DWORD>(secret.size()),
                reinterpret_cast<BYTE *>(const_cast<char *>(secret.data()))};
   DATA_BLOB out{};
   if (!CryptProtectData(&in, L"rpa-host vault key", nullptr, nullptr, nullptr, CRYPTPROTECT_UI_FORBIDDEN,
                         &out))
      throw std::runtime_error("Windows could not protect the vault's key for this user: " +
                               rpa::windows_error_text(GetLastError()));
   std::string kept(reinterpret_cast<const char *>(out.pbData), out.cbData);
   LocalFree(out.pbData);
   return kept;
}

rpa::SecretString unprotect_for_user(std::string_view kept) {
   DATA_BLOB in{static_cast<DWORD>(kept.size()), reinterpret_cast<BYTE *>(const_cast<char *>(kept.data()))};
   DATA_BLOB out{};
   if (!CryptUnprotectData(&in, nullptr, nullptr, nullptr, nullptr, CRYPTPROTECT_UI_FORBIDDEN, &out))
      throw std::runtime_error(
          "Windows does not give this user the vault's key (it was made by another Windows user, "
          "or on another machine, or the file was altered): " +
          rpa::windows_error_text(GetLastError()));
   rpa::SecretString secret(std::string_view(reinterpret_cast<const char *>(out.pbData), out.cbData));
   SecureZeroMemory(out.pbData, out.cbData);
   LocalFree(out.pbData);
   return secret;
}

}  // namespace rpa_host
