// A vault without a passphrase: its key is kept for the Windows user (DPAPI, system/user_protection.h).
// The file format and its errors are checked on every system (with a stand-in protection where the
// system has none); the real DPAPI where it exists: on Windows, under Wine in this suite.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <string>

#include "system/atomic_file.h"
#include "system/user_protection.h"
#include "vault.h"
#include "vault_file.h"

using rpa::SecretString;
using rpa_host::Vault;
using rpa_host::VaultError;
namespace vault_file = rpa_host::vault_file;

namespace {

std::string temporary_vault() {
   return (std::filesystem::temp_directory_path() /
           ("rpa-vault-dpapi-" + std::to_string(std::random_device{}()) +
            std::to_string(std::random_device{}())))
       .u8string();
}

// Stands in for DPAPI on a system without it: keeps the key reversed behind a marker.
std::string stand_in_protect(const SecretString &key) {
   return "kept:" + std::string(key.view().rbegin(), key.view().rend());
}
SecretString stand_in_unprotect(std::string_view kept) {
   if (kept.substr(0, 5) != "kept:") throw VaultError("not kept for this user");
   const std::string reversed(kept.rbegin(), kept.rend() - 5);
   return SecretString(reversed);
}

}  // namespace

TEST_SUITE("vault") {

TEST_CASE(
    "a vault file without a passphrase names dpapi, keeps no scrypt salt, and opens only through the user's "
    "protection") {
   const vault_file::Key key = vault_file::make_protected_key(stand_in_protect);
   const std::string text = vault_file::seal(R"({"lockers":{"Mail":{"alice":{"password":"s3cret"}}}})", key);
   CHECK(text.find("\"name\":\"dpapi\"") != std::string::npos);
   CHECK(text.find("\"salt\"") == std::string::npos);
   CHECK(text.find("s3cret") == std::string::npos);
   CHECK(vault_file::read_sealed(text).kdf == "dpapi");

   vault_file::Key opened;
   const SecretString plaintext = vault_file::unseal(text, SecretString(), opened, stand_in_unprotect);
   CHECK(plaintext.view().find("s3cret") != std::string_view::npos);
   CHECK(opened.protected_key == key.protected_key);  // saving again keeps it a vault without passphrase

   vault_file::Key none;
   CHECK_THROWS_WITH_AS(vault_file::unseal(text, SecretString("a passphrase"), none),
                        doctest::Contains("DPAPI"), VaultError);
   // A passphrase vault opened without one says what to set.
   const std::string with_passphrase =
       vault_file::seal("{\"lockers\":{}}", vault_file::make_key(SecretString("p")));
   CHECK_THROWS_WITH_AS(vault_file::unseal(with_passphrase, SecretString(), none, stand_in_unprotect),
                        doctest::Contains("RPA_VAULT_PASSPHRASE"), VaultError);
   // An unknown key derivation is named.
   std::string unknown = text;
   unknown.replace(unknown.find("dpapi"), 5, "magic");
   CHECK_THROWS_WITH_AS(vault_file::read_sealed(unknown), doctest::Contains("\"magic\""), VaultError);
}

TEST_CASE(
    "the host's vault without a passphrase: kept for this Windows user, or refused where no system keeps "
    "one") {
   const std::string path = temporary_vault();
   if (rpa_host::user_protection_available()) {
      Vault::open(path, SecretString()).set("Mail", "alice", "password", SecretString("kept for tanaka"));
      Vault reopened = Vault::open(path, SecretString());
      const SecretString *found = reopened.find("Mail", "alice", "password");
      REQUIRE(found != nullptr);
      CHECK(found->view() == "kept for tanaka");
      std::string text;
      rpa_host::FileIdentity identity;
      REQUIRE(rpa_host::read_whole_file(path, 1 << 20, text, identity));
      CHECK(text.find("\"dpapi\"") != std::string::npos);
      CHECK(text.find("kept for tanaka") == std::string::npos);
      // Another machine's or user's blob: the system's refusal, said as such.
      CHECK_THROWS_AS(rpa_host::unprotect_for_user("not a DPAPI blob"), std::runtime_error);
   } else {
      CHECK_THROWS_WITH_AS(
          Vault::open(path, SecretString()).set("Mail", "alice", "password", SecretString("x")),
          doctest::Contains("passphrase"), VaultError);
      // A Windows user's vault brought here says where it opens.
      const std::string text =
          vault_file::seal("{\"lockers\":{}}", vault_file::make_protected_key(stand_in_protect));
      rpa_host::replace_file(path, text);
      CHECK_THROWS_WITH_AS(Vault::open(path, SecretString("any")), doctest::Contains("open it on Windows"),
                           VaultError);
   }
   std::error_code ignored;
   std::filesystem::remove(std::filesystem::u8path(path), ignored);
   std::filesystem::remove(std::filesystem::u8path(path + ".lock"), ignored);
}

}  // TEST_SUITE("vault")
