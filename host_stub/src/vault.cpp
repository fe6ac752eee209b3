#include "vault.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "system/atomic_file.h"
#include "system/console.h"
#include "system/file_lock.h"
#include "system/user_protection.h"

namespace rpa_host {

using rpa::SecretString;

namespace {

constexpr std::size_t kMaxVaultFileBytes = 64 * 1024 * 1024;

// The user's protection (system/user_protection.h) in the vault's own errors.
std::string protect(const SecretString &key) {
   try {
      return protect_for_user(key);
   } catch (const std::runtime_error &error) {
      throw VaultError(error.what());
   }
}
SecretString unprotect(std::string_view kept) {
   try {
      return unprotect_for_user(kept);
   } catch (const std::runtime_error &error) {
      throw VaultError(error.what());
   }
}

}  // namespace

SecretString vault_passphrase_from_environment() {
   std::optional<SecretString> value = environment_value("RPA_VAULT_PASSPHRASE");
   if (value && !value->empty()) return std::move(*value);
   if (user_protection_available()) return SecretString();  // Windows keeps the key for the user
   throw VaultError("set the environment variable RPA_VAULT_PASSPHRASE to the vault's passphrase");
}

std::string Vault::target() const {
   try {
      return resolve_final_symlinks(path_);
   } catch (const std::runtime_error &error) {
      throw VaultError(error.what());
   }
}

Vault Vault::open(const std::string &path, SecretString passphrase) {
   Vault vault(path, std::move(passphrase));
   vault.list();  // reads the file (under a shared lock) when there is one
   return vault;
}

void Vault::reload_if_changed() {
   const std::string file = target();
   std::string text;
   FileIdentity now;
   try {
      if (!read_whole_file(file, kMaxVaultFileBytes, text, now)) {
         lockers_.clear();
         loaded_ = {};
         return;
      }
   } catch (const std::runtime_error &error) {
      throw VaultError(error.what());
   }
   if (now == loaded_) return;
   try {
      SecretString plaintext = vault_file::unseal(
          text, passphrase_, key_,
          user_protection_available() ? vault_file::Unprotect(unprotect) : vault_file::Unprotect());
      lockers_ = vault_file::parse_plaintext(plaintext.view());
   } catch (const WrongPassphrase &) {
      throw;
   } catch (const VaultError &error) {
      throw VaultError("\"" + path_ + "\": " + error.what());
   }
   loaded_ = now;
}

void Vault::write_locked(const std::string &file) {
   if (key_.salt.empty() && key_.protected_key.empty())
      key_ =
          passphrase_.empty() ? vault_file::make_protected_key(protect) : vault_file::make_key(passphrase_);
   const SecretString plaintext = vault_file::plaintext_of(lockers_);
   const std::string text = vault_file::seal(plaintext.view(), key_);

   try {
      replace_file(file, text);
   } catch (const std::runtime_error &error) {
      throw VaultError(error.what());
   }
   loaded_ = identity_of(file);
}

void Vault::refresh() {
   try {
      FileLock lock(target(), FileLock::Mode::shared);
      reload_if_changed();
   } catch (const LockTimeout &error) {
      throw VaultError(error.what());
   }
}

bool Vault::change(const std::function<bool(vault_file::Lockers &)> &apply) {
   const std::string file = target();
   try {
      FileLock lock(file, FileLock::Mode::exclusive);
      reload_if_changed();
      if (!apply(lockers_)) return false;
      write_locked(file);
      return true;
   } catch (const LockTimeout &error) {
      throw VaultError(error.what());
   } catch (const VaultError &) {
      loaded_ = {};  // what is in memory may not be the file: read it again next time
      throw;
   }
}

const SecretString *Vault::find(const std::string &locker, const std::string &credential,
                                const std::string &attribute) {
   refresh();
   auto l = lockers_.find(locker);
   if (l == lockers_.end()) return nullptr;
   auto c = l->second.find(credential);
   if (c == l->second.end()) return nullptr;
   auto a = c->second.find(attribute);
   return a == c->second.end() ? nullptr : &a->second;
}

void Vault::set(const std::string &locker, const std::string &credential, const std::string &attribute,
                SecretString value) {
   change([&](vault_file::Lockers &lockers) {
      lockers[locker][credential][attribute] = std::move(value);
      return true;
   });
}

bool Vault::remove(const std::string &locker, const std::string &credential, const std::string &attribute) {
   return change([&](vault_file::Lockers &lockers) {
      auto l = lockers.find(locker);
      if (l == lockers.end()) return false;
      if (credential.empty()) {
         lockers.erase(l);
         return true;
      }
      auto c = l->second.find(credential);
      if (c == l->second.end()) return false;
      if (attribute.empty()) {
         l->second.erase(c);
      } else {
         if (!c->second.erase(attribute)) return false;
         if (c->second.empty()) l->second.erase(c);
      }
      if (l->second.empty()) lockers.erase(l);
      return true;
   });
}

std::vector<std::string> Vault::list() {
   refresh();
   std::vector<std::string> names;
   for (auto &[locker, credentials] : lockers_)
      for (auto &[credential, attributes] : credentials)
         for (auto &entry : attributes) names.push_back(locker + "/" + credential + "/" + entry.first);
   return names;
}

}  // namespace rpa_host
