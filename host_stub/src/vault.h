// Vault: the reference host's Credential Vault, lockers -> credentials -> attributes -> secret,
// in one encrypted file (the format: vault_file.h). Secrets live in SecretStrings only.
//
// Several processes may share one vault file (bot runners, `rpa-host vault set`, a bot storing a
// rotated refresh token), so every change is a locked read-modify-write of the *current* file:
// an exclusive lock on "<vault>.lock" (system/file_lock.h), the file read again under the lock, the
// one change applied, then written whole (system/atomic_file.h), so a crash leaves the old or the
// new vault and no writer's change is lost. Reads take a shared lock and see a whole file.
// A vault path that is a symbolic link stays one: the link's target is read, locked and replaced.
// The lock is waited for FileLock::kDefaultWait at most, then VaultError.
// An empty passphrase (Windows only) makes a vault without one: its key is kept for the Windows user
// by DPAPI (system/user_protection.h), so only that user opens it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "rpa_common/secret.h"
#include "system/atomic_file.h"
#include "vault_file.h"

namespace rpa_host {

class Vault {
 public:
   // Opens `path`, or starts an empty vault when the file does not exist yet (the first change
   // creates it, mode 0600). Throws WrongPassphrase or VaultError (unreadable, malformed).
   static Vault open(const std::string &path, rpa::SecretString passphrase);

   // nullptr when any name is unknown. Reads the file again first when another process changed
   // it. The pointer is valid until the next call on this vault.
   const rpa::SecretString *find(const std::string &locker, const std::string &credential,
                                 const std::string &attribute);
   // Stores one secret: a locked read-modify-write of the file. Throws VaultError.
   void set(const std::string &locker, const std::string &credential, const std::string &attribute,
            rpa::SecretString value);
   // Removes an attribute, a whole credential (attribute empty) or a whole locker (credential
   // empty), in the file at once. Returns false when nothing matched.
   bool remove(const std::string &locker, const std::string &credential = "",
               const std::string &attribute = "");
   // "locker/credential/attribute" for every secret, sorted; never values. Current file.
   std::vector<std::string> list();

 private:
   Vault(std::string path, rpa::SecretString passphrase)
       : path_(std::move(path)), passphrase_(std::move(passphrase)) {}
   std::string target() const;                  // the file behind path_, symbolic links followed
   void reload_if_changed();                    // caller holds a lock
   void write_locked(const std::string &file);  // caller holds the exclusive lock
   void refresh();                              // reload_if_changed under a shared lock
   // A locked read-modify-write: `apply` changes lockers_ and says whether it changed anything
   // (then the file is written). Returns what `apply` said.
   bool change(const std::function<bool(vault_file::Lockers &)> &apply);

   std::string path_;
   rpa::SecretString passphrase_;
   vault_file::Key key_;
   vault_file::Lockers lockers_;
   FileIdentity loaded_;  // of the file lockers_ came from (size -1: none)
};

// The passphrase from the environment variable RPA_VAULT_PASSPHRASE (never from argv). Unset or
// empty: on Windows an empty passphrase (a vault kept for the user); elsewhere a VaultError.
rpa::SecretString vault_passphrase_from_environment();

}  // namespace rpa_host
