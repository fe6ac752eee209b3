// Vault: the reference host's Credential Vault, lockers -> credentials -> attributes -> secret.
//
// At rest it is one JSON file: {"format": "rpa-vault/1", "kdf": {"name": "scrypt", "n", "r", "p",
// "salt"}, "cipher": "AES-256-GCM", "nonce", "ciphertext", "tag"} (binary fields base64). The key
// is derived from a passphrase with scrypt (OpenSSL EVP_PBE_scrypt); the plaintext is the JSON
// {"lockers": {...}}. The file is written mode 0600 through a temporary file, fsync and rename,
// so a crash leaves the old or the new vault, never a torn one. Secrets live in SecretStrings and
// wiping JSON documents only.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "rpa_common/secret.h"

namespace rpa_host {

class VaultError : public std::runtime_error {
 public:
   using std::runtime_error::runtime_error;
};
// The passphrase does not open this vault (or the file was altered).
class WrongPassphrase : public VaultError {
 public:
   WrongPassphrase()
       : VaultError("the vault passphrase is wrong, or the vault file was altered") {}
};

class Vault {
 public:
   // Opens `path`, or starts an empty vault when the file does not exist yet. Throws
   // WrongPassphrase or VaultError (unreadable, malformed).
   static Vault open(const std::string &path, rpa::SecretString passphrase);

   // nullptr when any name is unknown. The pointer is valid until the next change.
   const rpa::SecretString *find(const std::string &locker, const std::string &credential,
                                 const std::string &attribute) const;
   void set(const std::string &locker, const std::string &credential,
            const std::string &attribute, rpa::SecretString value);
   // Removes an attribute, a whole credential (attribute empty) or a whole locker (credential
   // empty). Returns false when nothing matched.
   bool remove(const std::string &locker, const std::string &credential = "",
               const std::string &attribute = "");
   // "locker/credential/attribute" for every secret, sorted; never values.
   std::vector<std::string> list() const;
   // Encrypts with a fresh salt and nonce and replaces the file atomically.
   void save() const;

 private:
   Vault(std::string path, rpa::SecretString passphrase)
       : path_(std::move(path)), passphrase_(std::move(passphrase)) {}
   using Attributes = std::map<std::string, rpa::SecretString>;
   using Credentials = std::map<std::string, Attributes>;
   std::string path_;
   rpa::SecretString passphrase_;
   std::map<std::string, Credentials> lockers_;
};

// The passphrase from the environment variable RPA_VAULT_PASSPHRASE (never from argv).
// Throws VaultError when it is unset or empty.
rpa::SecretString vault_passphrase_from_environment();

}  // namespace rpa_host
