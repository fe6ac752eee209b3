#include "bot_folder.h"

#include <stdexcept>
#include <system_error>

namespace rpa_host {

namespace fs = std::filesystem;

BotFolder::BotFolder(const fs::path &folder) {
   std::error_code error;
   root_ = fs::canonical(folder.empty() ? fs::path(".") : folder, error);
   if (error || !fs::is_directory(root_, error))
      throw std::invalid_argument("the bot folder \"" + folder.u8string() + "\" is not a directory");
}

bool BotFolder::inside(const fs::path &canonical) const {
   const fs::path relative = canonical.lexically_relative(root_);
   return !relative.empty() && *relative.begin() != ".." && relative != ".";
}

fs::path BotFolder::resolve(const std::string &name, bool for_saving, std::string &why) const {
   const std::string shown = "\"" + name.substr(0, 200) + "\"";
   auto refuse = [&](const std::string &reason) {
      why = shown + " " + reason;
      return fs::path();
   };
   if (name.empty()) return refuse("is empty: name a bot file in the bot folder");
   for (unsigned char c : name)
      if (c < 0x20 || c == 0x7f || c == '\\')
         return refuse("has a control character or a backslash; use a plain name such as bot.json");
   const fs::path given = fs::u8path(name);
   if (given.is_absolute() || given.has_root_name() || given.has_root_directory() || name.front() == '/')
      return refuse("is an absolute path; the designer reads and writes bot files only in its bot folder " +
                    root_.u8string() + " (--bots DIR): give a name inside it");
   for (const fs::path &part : given)
      if (part == "..") return refuse("leads out of the bot folder " + root_.u8string() + " (\"..\")");
   const fs::path candidate = root_ / given.lexically_normal();
   std::error_code error;
   if (for_saving) {
      const fs::path directory = fs::canonical(candidate.parent_path(), error);
      if (error || !fs::is_directory(directory))
         return refuse("is in a folder that does not exist in the bot folder " + root_.u8string());
      if (directory != root_ && !inside(directory))
         return refuse("leads out of the bot folder " + root_.u8string() + " (through a symbolic link)");
      const fs::path file = directory / candidate.filename();
      if (fs::is_symlink(fs::symlink_status(file, error))) {
         // Where the link points, even when nothing is there yet (weakly_canonical would stop at
         // a dangling link and call it inside).
         const fs::path link = fs::read_symlink(file, error);
         const fs::path target = error ? fs::path() : fs::weakly_canonical(directory / link, error);
         if (error || fs::is_symlink(fs::symlink_status(target)) || !inside(target))
            return refuse("is a symbolic link that leads out of the bot folder " + root_.u8string());
         return target;
      }
      if (fs::is_directory(file, error)) return refuse("is a folder, not a bot file");
      return file;
   }
   const fs::path file = fs::canonical(candidate, error);
   if (error) return refuse("does not exist in the bot folder " + root_.u8string());
   if (!inside(file))
      return refuse("leads out of the bot folder " + root_.u8string() + " (through a symbolic link)");
   if (!fs::is_regular_file(file, error)) return refuse("is not a bot file");
   return file;
}

}  // namespace rpa_host
