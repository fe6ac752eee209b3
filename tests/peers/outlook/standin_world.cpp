#include "standin_world.h"

#include <windows.h>

#include <algorithm>
#include <cwctype>

#include "dispatch_object.h"
#include "standin_modes.h"

namespace standin {

namespace {

std::wstring hex_of(const std::wstring &text) {
   static const wchar_t digits[] = L"0123456789ABCDEF";
   std::wstring hex = L"0000000038A1BB1005E5101AA1BB08002B2A56C2";  // Outlook's EntryIDs are long hex
   for (wchar_t c : text)
      for (int shift = 12; shift >= 0; shift -= 4) hex.push_back(digits[(c >> shift) & 0xF]);
   return hex;
}

void read_folders(FolderNode &folder, StoreNode &store) {
   std::vector<std::filesystem::path> directories;
   std::error_code error;
   for (const auto &entry : std::filesystem::directory_iterator(folder.directory, error))
      if (entry.is_directory()) directories.push_back(entry.path());
   std::sort(directories.begin(), directories.end());
   for (const auto &directory : directories) {
      auto child = std::make_unique<FolderNode>();
      child->name = directory.filename().wstring();
      child->directory = directory;
      child->parent = &folder;
      child->store = &store;
      child->entry_id = hex_of(store.display_name + L"\\" + child->name + L"\\" + folder.entry_id);
      read_folders(*child, store);
      folder.children.push_back(std::move(child));
   }
}

std::unique_ptr<StoreNode> read_store(const std::wstring &name, const std::wstring &directory) {
   auto store = std::make_unique<StoreNode>();
   store->display_name = name;
   store->store_id = hex_of(L"store:" + name);
   store->root.name = L"Top of Information Store";
   store->root.directory = directory;
   store->root.store = store.get();
   store->root.entry_id = hex_of(L"root:" + name);
   read_folders(store->root, *store);
   return store;
}

bool same_text(const std::wstring &a, const std::wstring &b) {
   return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](wchar_t x, wchar_t y) {
             return std::towlower(x) == std::towlower(y);
          });
}

FolderNode *find_id(FolderNode &folder, const std::wstring &entry_id) {
   if (folder.entry_id == entry_id) return &folder;
   for (auto &child : folder.children)
      if (FolderNode *found = find_id(*child, entry_id)) return found;
   return nullptr;
}

}  // namespace

std::wstring FolderNode::path() const {
   if (!parent) return L"\\\\" + store->display_name;
   return parent->path() + L"\\" + name;
}

World &world() {
   static World *made = [] {
      auto *w = new World;  // lives as long as the process
      const std::wstring user = environment(L"RPA_OUTLOOK_STANDIN_USER");
      const std::size_t open = user.find(L'<'), close = user.find(L'>');
      if (open != std::wstring::npos && close != std::wstring::npos && close > open) {
         w->user_address = user.substr(open + 1, close - open - 1);
         w->user_name = user.substr(0, open);
         while (!w->user_name.empty() && w->user_name.back() == L' ') w->user_name.pop_back();
      } else {
         w->user_address = w->user_name = user.empty() ? L"user@example.test" : user;
      }
      w->stores.push_back(read_store(w->user_address, environment(L"RPA_OUTLOOK_STANDIN_STORE")));
      for (const auto &[name, directory] : pairs(environment(L"RPA_OUTLOOK_STANDIN_STORES")))
         w->stores.push_back(read_store(name, directory));
      for (const auto &[address, directory] : pairs(environment(L"RPA_OUTLOOK_STANDIN_SHARED")))
         w->shared.emplace_back(address, read_store(address, directory));
      w->profiles = split(environment(L"RPA_OUTLOOK_STANDIN_PROFILES"), L'|');
      if (w->profiles.empty()) w->profiles.push_back(L"Outlook");
      return w;
   }();
   return *made;
}

FolderNode &default_folder(StoreNode &store, long number) {
   const wchar_t *name = number == 6    ? L"Inbox"
                         : number == 5  ? L"Sent Items"
                         : number == 16 ? L"Drafts"
                         : number == 3  ? L"Deleted Items"
                         : number == 23 ? L"Junk Email"
                         : number == 4  ? L"Outbox"
                                        : nullptr;
   if (name)
      for (auto &child : store.root.children)
         if (same_text(child->name, name)) return *child;
   throw Raised{static_cast<HRESULT>(0x8004010F),
                L"The attempted operation failed.  An object could not be found."};
}

FolderNode *folder_by_id(const std::wstring &entry_id) {
   World &w = world();
   for (auto &store : w.stores)
      if (FolderNode *found = find_id(store->root, entry_id)) return found;
   for (auto &[address, store] : w.shared)
      if (FolderNode *found = find_id(store->root, entry_id)) return found;
   return nullptr;
}

}  // namespace standin
