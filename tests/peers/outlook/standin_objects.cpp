#include "standin_objects.h"

#include <cwctype>
#include <set>

#include "standin_modes.h"
#include "standin_world.h"

namespace standin {

namespace {

bool same_text(const std::wstring &a, const std::wstring &b) {
   if (a.size() != b.size()) return false;
   for (std::size_t i = 0; i < a.size(); ++i)
      if (std::towlower(a[i]) != std::towlower(b[i])) return false;
   return true;
}

[[noreturn]] void not_found() {
   throw Raised{static_cast<HRESULT>(0x8004010F),
                L"The attempted operation failed.  An object could not be found."};
}

// Outlook logs on to the default profile at the first use when Logon was not called.
void logged_on() {
   World &w = world();
   if (w.logged_on_profile.empty()) w.logged_on_profile = w.profiles.front();
}

DispatchObject *new_store(StoreNode &store);

std::set<IDispatch *> &live_folders();

class FoldersObject final : public DispatchObject {
 public:
   explicit FoldersObject(FolderNode &parent)
       : DispatchObject({{L"Count", Kind::property}, {L"Item", Kind::method}, {L"Parent", Kind::property}}),
         parent_(parent) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      if (name == L"Count") return set_number(result, static_cast<long>(parent_.children.size()));
      if (name == L"Parent") return set_object(result, new_folder(parent_));
      // Item(index): 1-based, or a folder's name.
      const VARIANT &key = arguments.at(0);
      if (key.vt == VT_BSTR) {
         for (auto &child : parent_.children)
            if (same_text(child->name, arguments.text(0))) return set_object(result, new_folder(*child));
         not_found();
      }
      const long index = arguments.number(0);
      if (index < 1 || static_cast<std::size_t>(index) > parent_.children.size())
         throw Raised{DISP_E_BADINDEX, L"Array index out of bounds."};
      set_object(result, new_folder(*parent_.children[static_cast<std::size_t>(index) - 1]));
   }

 private:
   FolderNode &parent_;
};

class FolderObject final : public DispatchObject {
 public:
   explicit FolderObject(FolderNode &folder)
       : DispatchObject({{L"Name", Kind::property},
                         {L"FolderPath", Kind::property},
                         {L"EntryID", Kind::property},
                         {L"StoreID", Kind::property},
                         {L"Store", Kind::property},
                         {L"Folders", Kind::property},
                         {L"Parent", Kind::property},
                         {L"DefaultItemType", Kind::property},
                         {L"Items", Kind::property}}),
         folder_(folder) {
      live_folders().insert(this);
   }
   ~FolderObject() override { live_folders().erase(this); }
   FolderNode &node() const { return folder_; }

 protected:
   void invoke(const std::wstring &name, const Arguments &, VARIANT &result) override {
      if (name == L"Items") return set_object(result, new_items(folder_));
      if (name == L"Name")
         return set_text(result, folder_.parent ? folder_.name : folder_.store->display_name);
      if (name == L"FolderPath") return set_text(result, folder_.path());
      if (name == L"EntryID") return set_text(result, folder_.entry_id);
      if (name == L"StoreID") return set_text(result, folder_.store->store_id);
      if (name == L"Store") return set_object(result, new_store(*folder_.store));
      if (name == L"Folders") return set_object(result, new FoldersObject(folder_));
      if (name == L"Parent") {
         if (!folder_.parent) not_found();
         return set_object(result, new_folder(*folder_.parent));
      }
      if (name == L"DefaultItemType") return set_number(result, 0);  // olMailItem
   }

 private:
   FolderNode &folder_;
};

std::set<IDispatch *> &live_folders() {
   static auto *made = new std::set<IDispatch *>;
   return *made;
}

}  // namespace

DispatchObject *new_folder(FolderNode &folder) { return new FolderObject(folder); }

FolderNode *folder_of(IDispatch *given) {
   return live_folders().count(given) ? &static_cast<FolderObject *>(given)->node() : nullptr;
}

namespace {

class StoreObject final : public DispatchObject {
 public:
   explicit StoreObject(StoreNode &store)
       : DispatchObject({{L"DisplayName", Kind::property},
                         {L"StoreID", Kind::property},
                         {L"ExchangeStoreType", Kind::property},
                         {L"GetRootFolder", Kind::method},
                         {L"GetDefaultFolder", Kind::method}}),
         store_(store) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      if (name == L"DisplayName") return set_text(result, store_.display_name);
      if (name == L"StoreID") return set_text(result, store_.store_id);
      if (name == L"ExchangeStoreType") return set_number(result, 3);  // olNotExchange
      if (name == L"GetRootFolder") return set_object(result, new_folder(store_.root));
      if (name == L"GetDefaultFolder")
         return set_object(result, new_folder(default_folder(store_, arguments.number(0))));
   }

 private:
   StoreNode &store_;
};

DispatchObject *new_store(StoreNode &store) { return new StoreObject(store); }

class StoresObject final : public DispatchObject {
 public:
   StoresObject() : DispatchObject({{L"Count", Kind::property}, {L"Item", Kind::method}}) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      World &w = world();
      if (name == L"Count") return set_number(result, static_cast<long>(w.stores.size()));
      if (arguments.at(0).vt == VT_BSTR) {
         for (auto &store : w.stores)
            if (same_text(store->display_name, arguments.text(0)))
               return set_object(result, new_store(*store));
         not_found();
      }
      const long index = arguments.number(0);
      if (index < 1 || static_cast<std::size_t>(index) > w.stores.size())
         throw Raised{DISP_E_BADINDEX, L"Array index out of bounds."};
      set_object(result, new_store(*w.stores[static_cast<std::size_t>(index) - 1]));
   }
};

class RecipientObject;
std::set<IDispatch *> g_recipients;  // the live ones: an IDispatch given back is checked against them

class RecipientObject final : public DispatchObject {
 public:
   explicit RecipientObject(std::wstring name)
       : DispatchObject({{L"Name", Kind::property},
                         {L"Address", Kind::property},
                         {L"Resolved", Kind::property},
                         {L"Resolve", Kind::method}}),
         name_(std::move(name)) {
      g_recipients.insert(this);
   }
   ~RecipientObject() override { g_recipients.erase(this); }
   // The stand-in's own recipient behind `given` (an argument), or null.
   static RecipientObject *of(IDispatch *given) {
      return g_recipients.count(given) ? static_cast<RecipientObject *>(given) : nullptr;
   }

 protected:
   void invoke(const std::wstring &member, const Arguments &, VARIANT &result) override {
      if (member == L"Name") return set_text(result, resolved_name_.empty() ? name_ : resolved_name_);
      if (member == L"Address") {
         guarded();  // Recipient.Address is a protected member
         return set_text(result, address_);
      }
      if (member == L"Resolved") return set_boolean(result, !address_.empty());
      if (member == L"Resolve") {
         World &w = world();
         if (same_text(name_, w.user_address) || same_text(name_, w.user_name)) {
            address_ = w.user_address;
            resolved_name_ = w.user_name;
         }
         for (auto &[address, store] : w.shared)
            if (same_text(name_, address)) address_ = resolved_name_ = address;
         return set_boolean(result, !address_.empty());
      }
   }

 private:
   std::wstring name_, resolved_name_, address_;
   friend class NameSpaceObject;
};

class NameSpaceObject final : public DispatchObject {
 public:
   NameSpaceObject()
       : DispatchObject({{L"Type", Kind::property},
                         {L"Logon", Kind::method},
                         {L"Logoff", Kind::method},
                         {L"CurrentUser", Kind::property},
                         {L"CurrentProfileName", Kind::property},
                         {L"GetDefaultFolder", Kind::method},
                         {L"Folders", Kind::property},
                         {L"Stores", Kind::property},
                         {L"DefaultStore", Kind::property},
                         {L"CreateRecipient", Kind::method},
                         {L"GetSharedDefaultFolder", Kind::method},
                         {L"GetFolderFromID", Kind::method},
                         {L"GetItemFromID", Kind::method}}) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      World &w = world();
      if (name == L"Type") return set_text(result, L"MAPI");
      if (name == L"Logon") {
         const std::wstring profile = arguments.given(0) ? arguments.text(0) : L"";
         if (!w.logged_on_profile.empty()) return;  // Outlook already running keeps its own profile
         if (!profile.empty()) {
            bool known = false;
            for (const std::wstring &existing : w.profiles) known = known || same_text(existing, profile);
            if (!known)
               throw Raised{static_cast<HRESULT>(0x8004010F),
                            L"The profile name is not valid. Enter a valid profile name."};
            w.logged_on_profile = profile;
         }
         logged_on();
         return;
      }
      if (name == L"Logoff") return;
      logged_on();
      if (name == L"CurrentProfileName") return set_text(result, w.logged_on_profile);
      if (name == L"CurrentUser") {
         guarded();  // NameSpace.CurrentUser is a protected member
         auto *user = new RecipientObject(w.user_address);
         user->address_ = w.user_address;
         user->resolved_name_ = w.user_name;
         return set_object(result, user);
      }
      if (name == L"GetDefaultFolder")
         return set_object(result, new_folder(default_folder(*w.stores.front(), arguments.number(0))));
      if (name == L"Folders") {
         return set_object(result, new StoresAsFolders());
      }
      if (name == L"Stores") return set_object(result, new StoresObject());
      if (name == L"DefaultStore") return set_object(result, new_store(*w.stores.front()));
      if (name == L"CreateRecipient") return set_object(result, new RecipientObject(arguments.text(0)));
      if (name == L"GetSharedDefaultFolder") {
         RecipientObject *recipient = RecipientObject::of(arguments.object(0));
         if (!recipient || recipient->address_.empty())
            throw Raised{E_FAIL, L"The operation failed because the recipient could not be resolved."};
         for (auto &[address, store] : w.shared)
            if (same_text(address, recipient->address_))
               return set_object(result, new_folder(default_folder(*store, arguments.number(1))));
         throw Raised{E_ACCESSDENIED, L"Cannot open the shared folder: you do not have permission."};
      }
      if (name == L"GetItemFromID") {
         std::shared_ptr<MessageNode> message = message_by_id(arguments.text(0));
         if (!message) not_found();
         return set_object(result, new_mail_item(message));
      }
      if (name == L"GetFolderFromID") {
         FolderNode *folder = folder_by_id(arguments.text(0));
         if (!folder) not_found();
         return set_object(result, new_folder(*folder));
      }
   }

 private:
   // NameSpace.Folders: the root folder of each store.
   class StoresAsFolders final : public DispatchObject {
    public:
      StoresAsFolders() : DispatchObject({{L"Count", Kind::property}, {L"Item", Kind::method}}) {}

    protected:
      void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
         World &w = world();
         if (name == L"Count") return set_number(result, static_cast<long>(w.stores.size()));
         if (arguments.at(0).vt == VT_BSTR) {
            for (auto &store : w.stores)
               if (same_text(store->display_name, arguments.text(0)))
                  return set_object(result, new_folder(store->root));
            not_found();
         }
         const long index = arguments.number(0);
         if (index < 1 || static_cast<std::size_t>(index) > w.stores.size())
            throw Raised{DISP_E_BADINDEX, L"Array index out of bounds."};
         set_object(result, new_folder(w.stores[static_cast<std::size_t>(index) - 1]->root));
      }
   };
};

class ApplicationObject final : public DispatchObject {
 public:
   ApplicationObject()
       : DispatchObject({{L"Name", Kind::property},
                         {L"Version", Kind::property},
                         {L"Session", Kind::property},
                         {L"GetNamespace", Kind::method},
                         {L"CreateItem", Kind::method},
                         {L"Quit", Kind::method}}) {}

 protected:
   void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) override {
      if (name == L"Name") return set_text(result, L"Outlook");
      if (name == L"Version") return set_text(result, L"16.0.0.0");
      if (name == L"Session") return set_object(result, new NameSpaceObject());
      if (name == L"GetNamespace") {
         if (!same_text(arguments.text(0), L"MAPI"))
            throw Raised{E_INVALIDARG, L"The namespace type must be MAPI."};
         return set_object(result, new NameSpaceObject());
      }
      if (name == L"CreateItem") {  // a new, unsaved item in the default store's Drafts
         if (arguments.number(0) != 0) throw Raised{E_INVALIDARG, L"Only mail items (olMailItem)."};
         World &w = world();
         if (w.stores.empty()) throw Raised{static_cast<HRESULT>(0x8004010F), L"The profile has no store."};
         auto message = std::make_shared<MessageNode>();
         message->folder = &default_folder(*w.stores.front(), 16);  // olFolderDrafts
         message->sender_name = w.user_name;
         message->sender_address = w.user_address;
         message->received = message->sent = now_as_date();
         message->unread = false;
         return set_object(result, new_mail_item(message));
      }
      if (name == L"Quit") return;
   }
};

}  // namespace

DispatchObject *new_application() { return new ApplicationObject(); }

}  // namespace standin
