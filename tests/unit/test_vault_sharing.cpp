// One vault file shared by several writers (bot runners, `rpa-host vault set/rm`, a bot storing a
// rotated refresh token): every reported write survives, a symlinked vault stays a symlink, and
// plaintext of the wrong shape is a clear error. Real processes (fork), real files.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "system/file_lock.h"
#include "vault.h"
#include "vault_file.h"

using rpa::SecretString;
using rpa_host::Vault;
using rpa_host::VaultError;

namespace {

struct TempDir {
   std::string path;
   TempDir() {
      char name[] = "/tmp/rpa-vault-share.XXXXXX";
      path = ::mkdtemp(name);
   }
   ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

// Runs `work` in a child process; returns its exit status (0: every write reported success).
template <typename Work>
pid_t spawn(Work work) {
   pid_t pid = ::fork();
   if (pid == 0) {
      int status = 1;
      try {
         status = work() ? 0 : 2;
      } catch (...) {
         status = 3;
      }
      ::_exit(status);
   }
   return pid;
}

int wait_for(pid_t pid) {
   int status = 0;
   ::waitpid(pid, &status, 0);
   return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_SUITE("vault") {

TEST_CASE("three processes writing 25 entries each and one removing its own keep every reported write") {
   TempDir dir;
   const std::string path = dir.path + "/vault.json";
   Vault::open(path, SecretString("shared")).set("Seed", "seed", "value", SecretString("0"));
   std::vector<pid_t> children;
   for (int writer = 0; writer < 3; ++writer)
      children.push_back(spawn([&, writer] {
         Vault vault = Vault::open(path, SecretString("shared"));  // loaded once, like a bot at start
         for (int i = 0; i < 25; ++i)
            vault.set("Writers", "w" + std::to_string(writer), "e" + std::to_string(i),
                      SecretString("value " + std::to_string(i)));
         return true;
      }));
   children.push_back(spawn([&] {  // `vault rm` racing: adds ten, removes the odd ones
      Vault vault = Vault::open(path, SecretString("shared"));
      for (int i = 0; i < 10; ++i) vault.set("Remover", "r", "e" + std::to_string(i), SecretString("x"));
      for (int i = 1; i < 10; i += 2)
         if (!vault.remove("Remover", "r", "e" + std::to_string(i))) return false;
      return true;
   }));
   for (pid_t child : children) CHECK(wait_for(child) == 0);

   Vault vault = Vault::open(path, SecretString("shared"));
   std::vector<std::string> names = vault.list();
   std::set<std::string> all(names.begin(), names.end());
   for (int writer = 0; writer < 3; ++writer)
      for (int i = 0; i < 25; ++i)
         CHECK_MESSAGE(all.count("Writers/w" + std::to_string(writer) + "/e" + std::to_string(i)) == 1,
                       "lost write " << writer << "/" << i);
   for (int i = 0; i < 10; ++i) CHECK(all.count("Remover/r/e" + std::to_string(i)) == (i % 2 == 0 ? 1u : 0u));
   CHECK(all.count("Seed/seed/value") == 1);
   CHECK(names.size() == 1 + 75 + 5);
}

TEST_CASE(
    "a bot storing a rotated token keeps what others stored meanwhile - and never writes back old tokens") {
   TempDir dir;
   const std::string path = dir.path + "/vault.json";
   Vault bot = Vault::open(path, SecretString("p"));  // a bot runner, loaded at start
   bot.set("rpa.email.oauth2", "account", "refresh_token", SecretString("token-1"));
   Vault other = Vault::open(path, SecretString("p"));  // another runner, or `vault set`
   other.set("Mail", "alice", "password", SecretString("stored meanwhile"));
   other.set("rpa.email.oauth2", "account", "refresh_token", SecretString("token-2"));
   bot.set("rpa.email.oauth2", "other-account", "refresh_token", SecretString("token-A"));

   Vault reader = Vault::open(path, SecretString("p"));
   REQUIRE(reader.find("Mail", "alice", "password"));
   CHECK(reader.find("Mail", "alice", "password")->view() == "stored meanwhile");
   CHECK(reader.find("rpa.email.oauth2", "account", "refresh_token")->view() == "token-2");
   // and the bot sees the newer token too (the file changed under it)
   CHECK(bot.find("rpa.email.oauth2", "account", "refresh_token")->view() == "token-2");
}

TEST_CASE("a vault path that is a symbolic link stays one - the target gets the write") {
   TempDir dir;
   const std::string target = dir.path + "/real-vault.json";
   const std::string link = dir.path + "/vault.json";
   Vault::open(target, SecretString("p")).set("L", "C", "a", SecretString("1"));
   REQUIRE(::symlink("real-vault.json", link.c_str()) == 0);
   Vault::open(link, SecretString("p")).set("L", "C", "b", SecretString("2"));
   struct stat info {};
   REQUIRE(::lstat(link.c_str(), &info) == 0);
   CHECK(S_ISLNK(info.st_mode));
   Vault direct = Vault::open(target, SecretString("p"));
   REQUIRE(direct.find("L", "C", "b"));
   CHECK(direct.find("L", "C", "b")->view() == "2");
   CHECK(direct.find("L", "C", "a")->view() == "1");
}

TEST_CASE("a held lock makes a writer wait - then fail clearly") {
   TempDir dir;
   const std::string path = dir.path + "/vault.json";
   rpa_host::FileLock held(path, rpa_host::FileLock::Mode::exclusive);
   pid_t child = spawn([&] {
      try {
         rpa_host::FileLock again(path, rpa_host::FileLock::Mode::exclusive, std::chrono::milliseconds(200));
      } catch (const rpa_host::LockTimeout &timeout) {
         return std::string(timeout.what()).find("stayed locked by another process") != std::string::npos;
      }
      return false;
   });
   CHECK(wait_for(child) == 0);
}

TEST_CASE("plaintext that decrypts but has the wrong shape is a VaultError - not a crash") {
   using rpa_host::vault_file::parse_plaintext;
   for (const char *plaintext :
        {R"({"lockers":{"L":5}})", R"({"lockers":{"L":"text"}})", R"({"lockers":{"L":{"C":[1]}}})",
         R"({"lockers":{"L":{"C":{"a":1}}}})", R"({"lockers":{"L":{"C":{"a":null}}}})",
         R"({"lockers":{"L\u0000x":{}}})", R"({"lockers":{"L":{"C\u0000":{"a":"v"}}}})",
         R"({"lockers":{"":{}}})", R"({"lockers":[]})", R"([])",
         R"({"lockers":{"L":{"C":{"a":"v"}}}} trailing)"}) {
      CAPTURE(plaintext);
      CHECK_THROWS_AS(parse_plaintext(plaintext), VaultError);
   }
   CHECK(parse_plaintext(R"({"lockers":{"L":{"C":{"a":"v"}}}})").at("L").at("C").at("a").view() == "v");

   // The same through a whole file: sealed with the right key, opened by Vault.
   TempDir dir;
   const std::string path = dir.path + "/vault.json";
   const SecretString passphrase("p");
   auto key = rpa_host::vault_file::make_key(passphrase);
   std::FILE *file = std::fopen(path.c_str(), "wb");
   const std::string text = rpa_host::vault_file::seal(R"({"lockers":{"L":{"C":{"a":7}}}})", key);
   std::fwrite(text.data(), 1, text.size(), file);
   std::fclose(file);
   try {
      Vault::open(path, SecretString("p"));
      FAIL("opened");
   } catch (const VaultError &error) {
      CHECK(std::string(error.what()).find("an attribute is not a string") != std::string::npos);
   }
}

}  // TEST_SUITE("vault")
