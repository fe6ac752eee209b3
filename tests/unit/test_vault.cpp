// The reference host's Credential Vault: encrypted at rest, private to the user (mode 0600; on
// Windows a DACL of the user alone), atomic writes.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "environment.h"
#include "files.h"
#include "system/atomic_file.h"
#include "system/user_protection.h"
#include "vault.h"

using test::read_file;
using rpa::SecretString;
using rpa_host::Vault;

namespace {

struct TempPath {
   std::string path = test::unused_temp_path("rpa-vault-test");
   ~TempPath() {
      std::remove(path.c_str());
      std::remove((path + ".lock").c_str());
   }
};

// Names in the folder of `path` that start with its name + ".tmp." (left-over temporary files).
std::vector<std::string> temporaries_of(const std::string &path) {
   const std::filesystem::path file = std::filesystem::u8path(path);
   const std::string prefix = file.filename().u8string() + ".tmp.";
   std::vector<std::string> found;
   std::error_code error;
   for (std::filesystem::directory_iterator it(file.parent_path(), error), end; !error && it != end;
        it.increment(error))
      if (it->path().filename().u8string().rfind(prefix, 0) == 0)
         found.push_back(it->path().filename().u8string());
   return found;
}

}  // namespace

TEST_SUITE("vault") {

TEST_CASE("round trip: set - save - reopen - find") {
   TempPath file;
   {
      Vault vault = Vault::open(file.path, SecretString("passphrase"));
      vault.set("Mail", "alice", "password", SecretString("p@ss wörd"));
      vault.set("Mail", "alice", "username", SecretString("alice"));
   }
   Vault reopened = Vault::open(file.path, SecretString("passphrase"));
   REQUIRE(reopened.find("Mail", "alice", "password"));
   CHECK(reopened.find("Mail", "alice", "password")->view() == "p@ss wörd");
   CHECK(reopened.find("Mail", "alice", "username")->view() == "alice");
   CHECK(reopened.find("Mail", "alice", "token") == nullptr);
   CHECK(reopened.find("Other", "alice", "password") == nullptr);
   CHECK(reopened.list() == std::vector<std::string>{"Mail/alice/password", "Mail/alice/username"});
}

TEST_CASE("a wrong passphrase is refused") {
   TempPath file;
   Vault vault = Vault::open(file.path, SecretString("right"));
   vault.set("L", "C", "A", SecretString("v"));
   CHECK_THROWS_AS(Vault::open(file.path, SecretString("wrong")), rpa_host::WrongPassphrase);
}

TEST_CASE("the file is private to the user - holds no plaintext - and leaves no temporary file") {
   TempPath file;
   Vault vault = Vault::open(file.path, SecretString("passphrase"));
   vault.set("Locker", "Credential", "password", SecretString("VerySecretValue"));
   CHECK(rpa_host::is_private_to_user(file.path));
   const std::string text = read_file(file.path);
   CHECK(text.find("VerySecretValue") == std::string::npos);
   CHECK(text.find("Locker") == std::string::npos);
   CHECK(text.find("\"format\":\"rpa-vault/1\"") != std::string::npos);
   CHECK(text.find("AES-256-GCM") != std::string::npos);
   CHECK(temporaries_of(file.path).empty());
}

TEST_CASE("a tampered file is refused - not misread") {
   TempPath file;
   Vault vault = Vault::open(file.path, SecretString("passphrase"));
   vault.set("L", "C", "A", SecretString("value"));
   std::string text = read_file(file.path);
   auto at = text.find("\"ciphertext\":\"") + 14;
   text[at] = text[at] == 'A' ? 'B' : 'A';
   std::ofstream(file.path, std::ios::binary | std::ios::trunc) << text;
   CHECK_THROWS_AS(Vault::open(file.path, SecretString("passphrase")), rpa_host::WrongPassphrase);
   std::ofstream(file.path, std::ios::binary | std::ios::trunc) << "{\"format\":\"other\"}";
   CHECK_THROWS_AS(Vault::open(file.path, SecretString("passphrase")), rpa_host::VaultError);
}

TEST_CASE("remove an attribute - a credential or a locker") {
   TempPath file;
   Vault vault = Vault::open(file.path, SecretString("p"));
   vault.set("L", "C1", "a", SecretString("1"));
   vault.set("L", "C1", "b", SecretString("2"));
   vault.set("L", "C2", "a", SecretString("3"));
   vault.set("M", "C", "a", SecretString("4"));
   CHECK(vault.remove("L", "C1", "a"));
   CHECK_FALSE(vault.remove("L", "C1", "a"));
   CHECK(vault.list() == std::vector<std::string>{"L/C1/b", "L/C2/a", "M/C/a"});
   CHECK(vault.remove("L", "C1"));
   CHECK(vault.remove("M"));
   CHECK(vault.list() == std::vector<std::string>{"L/C2/a"});
   CHECK_FALSE(vault.remove("Nope"));
}

TEST_CASE("the passphrase comes from RPA_VAULT_PASSPHRASE") {
   test::unset_environment("RPA_VAULT_PASSPHRASE");
   if (rpa_host::user_protection_available())  // Windows: no passphrase, the key is kept by DPAPI
      CHECK(rpa_host::vault_passphrase_from_environment().empty());
   else
      CHECK_THROWS_AS(rpa_host::vault_passphrase_from_environment(), rpa_host::VaultError);
   test::set_environment("RPA_VAULT_PASSPHRASE", "from env");
   CHECK(rpa_host::vault_passphrase_from_environment().view() == "from env");
   test::unset_environment("RPA_VAULT_PASSPHRASE");
}

}  // TEST_SUITE("vault")
