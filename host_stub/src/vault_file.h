// The vault's file format, free of any I/O so it is unit-tested and fuzzed alone.
//
// At rest a vault is one JSON file: {"format": "rpa-vault/1", "kdf": {"name": "scrypt", "n", "r",
// "p", "salt"}, "cipher": "AES-256-GCM", "nonce", "ciphertext", "tag"} (binary fields base64;
// the format name is the GCM additional data). The key is derived from the passphrase with scrypt
// (OpenSSL EVP_PBE_scrypt) — or, in a vault without a passphrase (Windows), it is a random key kept
// protected for one Windows user: "kdf": {"name": "dpapi", "protected_key"} (system/user_protection.h).
// The plaintext is {"lockers": {locker: {credential: {attribute:
// "secret"}}}}. Every level is checked: a plaintext that decrypts but has another shape (a
// locker that is a number, an attribute that is not a string, a NUL inside a name) is a
// VaultError, never a crash.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "rpa_common/secret.h"

namespace rpa_host {

class VaultError : public std::runtime_error {
 public:
   using std::runtime_error::runtime_error;
};
// The passphrase does not open this vault (or the file was altered).
class WrongPassphrase : public VaultError {
 public:
   WrongPassphrase() : VaultError("the vault passphrase is wrong, or the vault file was altered") {}
};

namespace vault_file {

using Attributes = std::map<std::string, rpa::SecretString>;
using Credentials = std::map<std::string, Attributes>;
using Lockers = std::map<std::string, Credentials>;

// A key derived for one salt; reused while the salt stays (each save draws a fresh nonce). With a
// `protected_key`, the key of a vault without a passphrase, as the user's protection keeps it.
struct Key {
   std::string salt;
   rpa::SecretString key;
   std::string protected_key;
};
// The user's protection of a key (DPAPI on Windows): protect gives what the file keeps, unprotect
// takes it back. Either throws VaultError saying why.
using Protect = std::function<std::string(const rpa::SecretString &key)>;
using Unprotect = std::function<rpa::SecretString(std::string_view protected_key)>;

// The plaintext JSON of `lockers`, in wiping memory.
rpa::SecretString plaintext_of(const Lockers &lockers);
// Lockers from plaintext JSON. Throws VaultError naming what is malformed.
Lockers parse_plaintext(std::string_view plaintext);

// The file text for `plaintext`, encrypted under `key` (a fresh nonce). make_key() draws a salt.
std::string seal(std::string_view plaintext, const Key &key);
Key make_key(const rpa::SecretString &passphrase);
// A random key for a vault without a passphrase, kept as `protect` protects it.
Key make_protected_key(const Protect &protect);

// The fields of a vault file, checked and decoded, not decrypted (pure; fuzzed). Throws VaultError.
struct Sealed {
   std::string kdf = "scrypt";         // or "dpapi"
   std::uint64_t n = 0, r = 0, p = 0;  // scrypt
   std::string salt, protected_key, nonce, ciphertext, tag;
};
Sealed read_sealed(std::string_view file_text);

// The plaintext of a vault file. `key` is reused when it was derived for the file's salt (or is
// the file's protected key), else replaced by the key for it. A vault without a passphrase needs
// `unprotect` (none: a VaultError saying where it opens); one with a passphrase needs a non-empty
// `passphrase`. Throws WrongPassphrase, or VaultError when the file is malformed.
rpa::SecretString unseal(std::string_view file_text, const rpa::SecretString &passphrase, Key &key,
                         const Unprotect &unprotect = {});

}  // namespace vault_file
}  // namespace rpa_host
