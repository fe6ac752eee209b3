#include "mailbox/mailbox.h"

#include "mailbox/folder_roles.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

const FolderInfo *Mailbox::match_folder(const std::vector<FolderInfo> &all, const std::string &folder) {
   std::string path = folder;
   while (!path.empty() && path.back() == '/') path.pop_back();
   if (is_role_name(path))
      for (const FolderInfo &candidate : all)
         if (candidate.role == path) return &candidate;
   for (const FolderInfo &candidate : all)
      if (candidate.path == path) return &candidate;
   // INBOX is case-insensitive, also as the first level of a path (RFC 9051 section 5.1).
   const std::size_t slash = path.find('/');
   if (iequals(path.substr(0, slash), "INBOX")) {
      const std::string normal = "INBOX" + (slash == std::string::npos ? std::string() : path.substr(slash));
      for (const FolderInfo &candidate : all)
         if (candidate.path == normal) return &candidate;
   }
   return nullptr;
}

FolderInfo Mailbox::find_folder(const std::string &folder, CallContext &context) {
   std::vector<FolderInfo> all = folders(context);
   if (const FolderInfo *found = match_folder(all, folder)) return *found;
   throw Failure(RPA_FOLDER_NOT_FOUND,
                 "there is no folder \"" + printable(folder, 200) + "\"" +
                     (is_role_name(folder) ? " (no folder has that role, and no folder has that path)" : ""));
}

}  // namespace email
