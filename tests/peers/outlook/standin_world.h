// The stand-in's mailbox data, read from folders of .eml files (standin_modes.h says where): the
// profile's stores, the shared mailboxes the user may open, the profiles. Built once per server
// process; the COM objects point into it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace standin {

struct StoreNode;

struct FolderNode {
   std::wstring name;
   std::filesystem::path directory;
   FolderNode *parent = nullptr;
   StoreNode *store = nullptr;
   std::vector<std::unique_ptr<FolderNode>> children;
   std::wstring entry_id;
   std::wstring path() const;  // Outlook's FolderPath: \\Store name\Inbox\Sub
};

struct StoreNode {
   std::wstring display_name;
   std::wstring store_id;
   FolderNode root;  // "Top of Information Store"
};

struct World {
   std::vector<std::unique_ptr<StoreNode>> stores;  // the profile's; the first is the default store
   std::vector<std::pair<std::wstring, std::unique_ptr<StoreNode>>> shared;  // address -> mailbox
   std::vector<std::wstring> profiles;
   std::wstring user_name, user_address;
   std::wstring logged_on_profile;  // "" until Logon (or the first use, which logs on to the default)
};

World &world();

// The folder a default-folder number names in `store` (olFolderInbox 6, ...): throws Raised
// (MAPI_E_NOT_FOUND) when the store has none.
FolderNode &default_folder(StoreNode &store, long number);
// The folder with this EntryID, or null.
FolderNode *folder_by_id(const std::wstring &entry_id);

}  // namespace standin
