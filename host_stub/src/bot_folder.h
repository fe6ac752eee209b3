// BotFolder: the one folder rpa-host designer saves bot files in and runs them from (--bots DIR,
// default the current directory). A page asks for a bot by a name relative to that folder; a name
// that could reach anything outside it is refused before any file is touched:
//   - empty, absolute ("/etc/passwd", "C:\x", "\\server\share"), or with a ".." component;
//   - with a control character, or a backslash (a separator on Windows, so never a name part);
//   - resolving, through symbolic links, to a place outside the folder (a link inside the folder
//     that leads out, or a link for a parent directory);
//   - for saving: a name whose directory does not exist (nothing is created but the file).
#pragma once

#include <filesystem>
#include <string>

namespace rpa_host {

class BotFolder {
 public:
   // Throws std::invalid_argument (a message for the user) when `folder` is not a directory.
   explicit BotFolder(const std::filesystem::path &folder);

   const std::filesystem::path &path() const { return root_; }  // canonical

   // The file `name` names inside the folder, or "" with `why` set ("\"../x\" leads out of the
   // bot folder /home/u/bots"). `for_saving`: the file need not exist yet, its directory must.
   std::filesystem::path resolve(const std::string &name, bool for_saving, std::string &why) const;

 private:
   bool inside(const std::filesystem::path &canonical) const;

   std::filesystem::path root_;
};

}  // namespace rpa_host
