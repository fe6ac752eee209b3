// CachedFolderMailbox: the folder handling IMAP, EWS and Microsoft Graph share. A backend says how
// to list its folders (list_folders, with the roles the service itself names: IMAP's SPECIAL-USE
// attributes, EWS's distinguished and Graph's well-known folders); this keeps that list for the
// session, gives roles by name where the service named none (mailbox/folder_roles.h), and lists
// again once when a folder is not found (it may have been made since). Not thread-safe (the
// session serialises calls).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mailbox/mailbox.h"

namespace email {

class CachedFolderMailbox : public Mailbox {
 public:
   std::vector<FolderInfo> folders(CallContext &context) final;
   FolderInfo find_folder(const std::string &folder, CallContext &context) override;
   void forget_folders() final {
      listed_ = paths_listed_ = false;
      role_folders_.clear();
   }

 protected:
   // Every folder, with the roles the service names; called when nothing is kept.
   virtual std::vector<FolderInfo> list_folders(CallContext &context) = 0;

   // The folders without the roles the service names, when that costs less than list_folders
   // (EWS: FindFolder alone, without the GetFolder of the distinguished folders); nullopt when it
   // does not (the default).
   virtual std::optional<std::vector<FolderInfo>> list_folder_paths(CallContext &) { return std::nullopt; }

   // The folder that holds `role` ("inbox", "sent", "drafts", "trash", "junk", "archive"), as
   // list_folders would give it (path, role and all), when the service can say that for less (EWS:
   // one GetFolder of the distinguished folder and the root; Graph: one batch of the well-known
   // folder and the root); nullopt when it cannot (the default), and whenever the answer does not
   // settle it (the service has no such folder, or the folder is not at the top: list_folders then
   // decides, roles by name included).
   virtual std::optional<FolderInfo> find_role_folder(const std::string &, CallContext &) {
      return std::nullopt;
   }

   // The folder a search, move or copy works in, as find_folder finds it; but while nothing is
   // listed, a role comes from find_role_folder and a folder named by its path from
   // list_folder_paths (its role left unknown), both kept: so a first listing skips what only the
   // whole list needs.
   FolderInfo folder_to_work_in(const std::string &folder, CallContext &context);

   // The role that folder_to_work_in(folder) would look up with find_role_folder now (nothing is
   // listed, `folder` names a role, and no folder is kept for it); nullopt otherwise. A backend that
   // can ask for the role's folder in the same round trip as other requests (Graph: a search's
   // first page in the folder's JSON batch) does so, and keeps what it found with keep_role_folder.
   std::optional<std::string> role_to_look_up(const std::string &folder) const;
   void keep_role_folder(FolderInfo found) { role_folders_.push_back(std::move(found)); }

   // Whether the folders are listed and kept.
   bool listed() const { return listed_; }
   // The offset a search cursor "<prefix><1 to 10 digits>" names; invalid_properties saying that it
   // is not a cursor from `whose` search ("an EWS", "a Microsoft 365 (Graph)") otherwise.
   static unsigned offset_of_cursor(const std::string &cursor, const std::string &prefix, const char *whose);

 private:
   std::vector<FolderInfo> folders_;
   bool listed_ = false;
   std::vector<FolderInfo> paths_;         // from list_folder_paths, without roles
   std::vector<FolderInfo> role_folders_;  // from find_role_folder
   bool paths_listed_ = false;
};

}  // namespace email
