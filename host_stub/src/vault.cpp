#include "vault.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "atomic_file.h"
#include "file_lock.h"

namespace rpa_host {

using rpa::SecretString;

namespace {

constexpr std::size_t kMaxVaultFileBytes = 64 * 1024 * 1024;

// The whole file, or nothing when it does not exist.
bool read_file(const std::string &path, std::string &text, struct stat &info) {
   int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
   if (fd < 0) {
      if (errno == ENOENT) return false;
      throw VaultError("cannot read the vault \"" + path + "\": " + std::strerror(errno));
   }
   if (::fstat(fd, &info) != 0 || static_cast<std::size_t>(info.st_size) > kMaxVaultFileBytes) {
      ::close(fd);
      throw VaultError("cannot read the vault \"" + path + "\": not a vault-sized file");
   }
   text.clear();
   char buffer[65536];
   for (;;) {
      ssize_t got = ::read(fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
         const int error = errno;
         ::close(fd);
         throw VaultError("cannot read the vault \"" + path + "\": " + std::strerror(error));
      }
      if (got == 0) break;
      text.append(buffer, static_cast<std::size_t>(got));
      if (text.size() > kMaxVaultFileBytes) {
         ::close(fd);
         throw VaultError("cannot read the vault \"" + path + "\": not a vault-sized file");
      }
   }
   ::close(fd);
   return true;
}

long long modified_ns(const struct stat &info) {
   return static_cast<long long>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec;
}

}  // namespace

SecretString vault_passphrase_from_environment() {
   const char *value = std::getenv("RPA_VAULT_PASSPHRASE");
   if (!value || !*value)
      throw VaultError("set the environment variable RPA_VAULT_PASSPHRASE to the vault's passphrase");
   return SecretString(value);
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
   struct stat info {};
   if (!read_file(file, text, info)) {
      lockers_.clear();
      loaded_ = {};
      return;
   }
   const FileIdentity now{info.st_dev, info.st_ino, info.st_size, modified_ns(info)};
   if (now == loaded_) return;
   try {
      SecretString plaintext = vault_file::unseal(text, passphrase_, key_);
      lockers_ = vault_file::parse_plaintext(plaintext.view());
   } catch (const WrongPassphrase &) {
      throw;
   } catch (const VaultError &error) {
      throw VaultError("\"" + path_ + "\": " + error.what());
   }
   loaded_ = now;
}

void Vault::write_locked(const std::string &file) {
   if (key_.salt.empty()) key_ = vault_file::make_key(passphrase_);
   const SecretString plaintext = vault_file::plaintext_of(lockers_);
   const std::string text = vault_file::seal(plaintext.view(), key_);

   try {
      replace_file(file, text);
   } catch (const std::runtime_error &error) {
      throw VaultError(error.what());
   }
   struct stat info {};
   if (::stat(file.c_str(), &info) == 0)
      loaded_ = {info.st_dev, info.st_ino, info.st_size, modified_ns(info)};
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
