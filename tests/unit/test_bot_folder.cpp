// The designer's bot folder (host_stub/src/bot_folder.h): names inside it resolve, anything that
// could reach outside it is refused with a reason, and the designer's --port is checked.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bot_folder.h"
#include "files.h"
#include "cli.h"

namespace fs = std::filesystem;

namespace {
struct Sandbox {
   fs::path root;
   Sandbox() {
      const fs::path made = fs::u8path(test::unused_temp_path("rpa-bot-folder"));
      REQUIRE(fs::create_directory(made));
      root = fs::canonical(made);
      fs::create_directories(root / "bots" / "team");
      std::ofstream(root / "bots" / "bot.json") << "{}";
      std::ofstream(root / "secret.json") << "{}";
      fs::create_directory_symlink(root, root / "bots" / "up");
      fs::create_symlink(root / "secret.json", root / "bots" / "outside.json");
      fs::create_symlink(root / "nothing-yet.json", root / "bots" / "dangling.json");
      fs::create_symlink(root / "bots" / "bot.json", root / "bots" / "alias.json");
   }
   ~Sandbox() { fs::remove_all(root); }
};
}  // namespace

TEST_SUITE("host") {

TEST_CASE("the designer's bot folder: names inside resolve - absolute, .., and links out are refused") {
   Sandbox box;
   const rpa_host::BotFolder bots(box.root / "bots");
   std::string why;
   CHECK(bots.resolve("bot.json", false, why) == box.root / "bots" / "bot.json");
   CHECK(bots.resolve("new.json", true, why) == box.root / "bots" / "new.json");
   CHECK(bots.resolve("team/new.json", true, why) == box.root / "bots" / "team" / "new.json");
   CHECK(bots.resolve("./team/../bot.json", false, why).empty());  // ".." is refused even when harmless
   CHECK(bots.resolve("alias.json", false, why) == box.root / "bots" / "bot.json");  // a link inside
   CHECK(bots.resolve("alias.json", true, why) == box.root / "bots" / "bot.json");
   auto refused = [&](const std::string &name, bool saving) {
      why.clear();
      const fs::path resolved = bots.resolve(name, saving, why);
      CHECK_MESSAGE(resolved.empty(), name << " resolved to " << resolved);
      return why;
   };
   for (bool saving : {false, true}) {
      CAPTURE(saving);
      CHECK(refused("", saving).find("is empty") != std::string::npos);
      CHECK(refused((box.root / "secret.json").string(), saving).find("is an absolute path") !=
            std::string::npos);
      CHECK(refused("../secret.json", saving).find("leads out of the bot folder") != std::string::npos);
      CHECK(refused("team/../../secret.json", saving).find("leads out") != std::string::npos);
      CHECK(refused("up/secret.json", saving).find("leads out of the bot folder") != std::string::npos);
      CHECK(refused("outside.json", saving).find("leads out of the bot folder") != std::string::npos);
      CHECK(refused("a\\b.json", saving).find("backslash") != std::string::npos);
      CHECK(refused(std::string("a\nb.json"), saving).find("control character") != std::string::npos);
      const std::string folder = refused("team", saving);
      CHECK((folder.find("not a bot file") != std::string::npos ||
             folder.find("is a folder") != std::string::npos));
   }
   CHECK(refused("dangling.json", true).find("leads out of the bot folder") != std::string::npos);
   CHECK(refused("missing.json", false).find("does not exist") != std::string::npos);
   CHECK(refused("nowhere/new.json", true).find("does not exist") != std::string::npos);
   CHECK_THROWS_AS(rpa_host::BotFolder(box.root / "bots" / "bot.json"), std::invalid_argument);
}

TEST_CASE(
    "rpa-host designer: --port from 1 to 65535, --bots, in any order - anything else is a bad command line") {
   auto parse = [](std::vector<std::string> words, rpa_host::CommandLine &line, std::string &said) {
      std::vector<char *> argv;
      static std::string program = "rpa-host";
      argv.push_back(program.data());
      for (std::string &word : words) argv.push_back(word.data());
      std::ostringstream errors;
      const bool ok = rpa_host::parse_command_line(static_cast<int>(argv.size()), argv.data(), line, errors);
      said = errors.str();
      return ok;
   };
   rpa_host::CommandLine line;
   std::string said;
   REQUIRE(parse({"designer", "--bots", "/srv/bots", "--port", "65535"}, line, said));
   CHECK(line.designer_port == 65535);
   CHECK(line.designer_bots == "/srv/bots");
   rpa_host::CommandLine plain;
   REQUIRE(parse({"designer"}, plain, said));
   CHECK(plain.designer_port == 0);
   CHECK(plain.designer_bots == ".");
   for (const char *port : {"0", "65536", "70000", "-1", "1e3", "", "99999999999"}) {
      CAPTURE(port);
      rpa_host::CommandLine bad;
      CHECK_FALSE(parse({"designer", "--port", port}, bad, said));
      CHECK(said.find("--port must be a number from 1 to 65535") != std::string::npos);
   }
   rpa_host::CommandLine twice, unknown;
   CHECK_FALSE(parse({"designer", "--port", "1", "--port", "2"}, twice, said));
   CHECK(said.find("given twice") != std::string::npos);
   CHECK_FALSE(parse({"designer", "--host", "0.0.0.0"}, unknown, said));
   CHECK(said.find("designer takes [--port N] [--bots DIR]") != std::string::npos);
}

}  // TEST_SUITE("host")
