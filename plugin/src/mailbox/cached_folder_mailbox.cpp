#include "mailbox/cached_folder_mailbox.h"

#include <algorithm>
#include <string_view>

#include "mailbox/folder_roles.h"
#include "util/failure.h"

namespace email {

std::vector<FolderInfo> CachedFolderMailbox::folders(CallContext &context) {
   if (listed_) return folders_;
   std::vector<FolderInfo> found = list_folders(context);
   assign_roles_by_name(found);
   folders_ = std::move(found);
   listed_ = true;
   return folders_;
}

FolderInfo CachedFolderMailbox::find_folder(const std::string &folder, CallContext &context) {
   const std::vector<FolderInfo> all = folders(context);
   if (const FolderInfo *found = match_folder(all, folder)) return *found;
   listed_ = false;  // made since it was listed? Mailbox::find_folder lists again, or says none
   return Mailbox::find_folder(folder, context);
}

FolderInfo CachedFolderMailbox::folder_to_work_in(const std::string &folder, CallContext &context) {
   if (listed_) return find_folder(folder, context);
   const std::string role(without_trailing_slashes(folder));
   if (is_role_name(role)) {
      for (const FolderInfo &known : role_folders_)
         if (known.role == role) return known;
      std::optional<FolderInfo> found = find_role_folder(role, context);
      if (!found) return find_folder(folder, context);
      role_folders_.push_back(*found);
      return *found;
   }
   if (!paths_listed_) {
      std::optional<std::vector<FolderInfo>> paths = list_folder_paths(context);
      if (!paths) return find_folder(folder, context);
      paths_ = std::move(*paths);
      paths_listed_ = true;
   }
   if (const FolderInfo *found = match_folder(paths_, folder)) return *found;
   paths_listed_ = false;
   return find_folder(folder, context);  // lists everything: made since, or it says there is none
}

std::optional<std::string> CachedFolderMailbox::role_to_look_up(const std::string &folder) const {
   if (listed_) return std::nullopt;
   std::string role(without_trailing_slashes(folder));
   if (!is_role_name(role)) return std::nullopt;
   for (const FolderInfo &known : role_folders_)
      if (known.role == role) return std::nullopt;
   return role;
}

unsigned CachedFolderMailbox::offset_of_cursor(const std::string &cursor, const std::string &prefix,
                                               const char *whose) {
   const std::size_t digits = cursor.size() - std::min(cursor.size(), prefix.size());
   if (cursor.rfind(prefix, 0) != 0 || digits == 0 || digits > 10 ||
       cursor.find_first_not_of("0123456789", prefix.size()) != std::string::npos)
      throw Failure(RPA_INVALID_PROPERTIES, std::string("cursor: not a cursor from ") + whose + " search");
   return static_cast<unsigned>(std::stoul(cursor.substr(prefix.size())));
}

}  // namespace email
