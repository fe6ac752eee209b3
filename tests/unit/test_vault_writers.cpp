// One vault file, several writers in one process, each with its own Vault and so its own file
// handles: the lock (flock on Linux, LockFileEx on Windows) excludes handles, not processes, so
// every reported write survives here too. Built for Linux and for Windows (under Wine), where
// test_vault_sharing.cpp's forked processes do not exist. Paths with Japanese names on both.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "system/atomic_file.h"
#include "system/file_lock.h"
#include "vault.h"

using rpa::SecretString;
using rpa_host::Vault;

namespace {

namespace fs = std::filesystem;

// A new folder under the system's temporary folder, named in Japanese, removed with this object.
struct JapaneseFolder {
   fs::path path;
   JapaneseFolder() {
      path = fs::temp_directory_path() / fs::u8path("rpa-金庫-" + std::to_string(std::random_device{}()) +
                                                    std::to_string(std::random_device{}()));
      fs::create_directories(path);
   }
   ~JapaneseFolder() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
   }
   std::string file(const std::string &name) const { return (path / fs::u8path(name)).u8string(); }
};

}  // namespace

TEST_SUITE("vault") {

TEST_CASE("four writers with their own handles, in one process, keep every reported write") {
   JapaneseFolder folder;
   const std::string path = folder.file("田中.vault");
   Vault::open(path, SecretString("shared")).set("Seed", "seed", "value", SecretString("0"));
   std::vector<std::thread> writers;
   for (int writer = 0; writer < 4; ++writer)
      writers.emplace_back([&path, writer] {
         Vault vault = Vault::open(path, SecretString("shared"));  // loaded once, like a bot at start
         for (int i = 0; i < 10; ++i)
            vault.set("Writers", "w" + std::to_string(writer), "e" + std::to_string(i),
                      SecretString("value " + std::to_string(i)));
      });
   for (std::thread &writer : writers) writer.join();

   std::vector<std::string> names = Vault::open(path, SecretString("shared")).list();
   std::set<std::string> all(names.begin(), names.end());
   for (int writer = 0; writer < 4; ++writer)
      for (int i = 0; i < 10; ++i)
         CHECK_MESSAGE(all.count("Writers/w" + std::to_string(writer) + "/e" + std::to_string(i)) == 1,
                       "lost write " << writer << "/" << i);
   CHECK(names.size() == 1 + 40);
   // Nothing but the vault and its lock file is left: no temporary file.
   std::set<std::string> left;
   for (const auto &entry : fs::directory_iterator(folder.path))
      left.insert(entry.path().filename().u8string());
   CHECK(left == std::set<std::string>{"田中.vault", "田中.vault.lock"});
}

TEST_CASE("an exclusive lock held elsewhere makes a writer wait, then give up with a clear error") {
   JapaneseFolder folder;
   const std::string path = folder.file("田中.vault");
   rpa_host::FileLock held(path, rpa_host::FileLock::Mode::exclusive);
   try {
      rpa_host::FileLock waiting(path, rpa_host::FileLock::Mode::shared, std::chrono::milliseconds(200));
      FAIL("a second lock was granted while an exclusive one was held");
   } catch (const rpa_host::LockTimeout &timeout) {
      CHECK(std::string(timeout.what()).find("stayed locked by another process") != std::string::npos);
   }
}

TEST_CASE("a whole file is replaced, read back with its identity, and the identity changes with it") {
   JapaneseFolder folder;
   const std::string path = folder.file("ボット.json");
   std::string text;
   rpa_host::FileIdentity before, after;
   CHECK_FALSE(rpa_host::read_whole_file(path, 1024, text, before));  // no such file yet
   CHECK(rpa_host::identity_of(path).size == -1);
   rpa_host::replace_file(path, "first");
   REQUIRE(rpa_host::read_whole_file(path, 1024, text, before));
   CHECK(text == "first");
   CHECK(before == rpa_host::identity_of(path));
   rpa_host::replace_file(path, "second, longer");
   REQUIRE(rpa_host::read_whole_file(path, 1024, text, after));
   CHECK(text == "second, longer");
   CHECK_FALSE(after == before);
   CHECK_THROWS_WITH_AS(rpa_host::read_whole_file(path, 4, text, after),
                        doctest::Contains("larger than 4 bytes"), std::runtime_error);
   CHECK(rpa_host::folder_of(path) == folder.path.u8string());
}

}  // TEST_SUITE("vault")
