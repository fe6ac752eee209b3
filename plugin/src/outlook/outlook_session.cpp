#include "outlook/outlook_session.h"

#include <algorithm>
#include <cctype>

#include "outlook/com_dispatch.h"
#include "outlook/outlook_errors.h"
#include "util/text.h"

namespace email {

using State = OutlookState;

com::Object OutlookState::default_folder(long number) const {
   return shared ? mapi.call("GetSharedDefaultFolder",
                             {com::Variant::dispatch(recipient), com::Variant::number(number)})
                       .object("GetSharedDefaultFolder")
                 : store.call("GetDefaultFolder", {com::Variant::number(number)}).object("GetDefaultFolder");
}

void OutlookSession::throw_closed() { throw Failure(RPA_SESSION_NOT_FOUND, "the Outlook session is closed"); }

namespace {

// Outlook's OlDefaultFolders for the roles of the folder model (mailbox/mailbox.h).
struct DefaultFolder {
   long number;
   const char *role;
};
constexpr DefaultFolder kDefaultFolders[] = {
    {6, "inbox"}, {5, "sent"}, {16, "drafts"}, {3, "trash"}, {23, "junk"}};

constexpr int kMaxFolderDepth = 32;
constexpr std::size_t kMaxFolders = 10000;

}  // namespace

OutlookSession::OutlookSession(const OutlookTarget &target, CallContext &context,
                               std::vector<std::string> &warnings)
    : state_(std::make_shared<OutlookState>()) {
   auto state = state_;
   struct Opened {
      OutlookFacts facts;
      std::vector<std::string> warnings;
   };
   Opened opened = sta_.run(context, "Outlook to open the mailbox", [state, target]() {
      Opened result;
      OutlookFacts &facts = result.facts;
      State &s = *state;
      // A Connect that fails releases what it got here, in this apartment: a reference left
      // behind would keep Outlook (and its process) from ever ending.
      struct ReleaseOnFailure {
         State &state;
         bool opened = false;
         ~ReleaseOnFailure() {
            if (!opened) state = State{};
         }
      } release{s};
      s.application =
          outlook_step("starting Outlook", [] { return com::create_local_server(L"Outlook.Application"); });
      facts.version = outlook_step("asking Outlook for its version",
                                   [&] { return s.application.get("Version").as_text("Version"); });
      s.mapi = outlook_step("opening Outlook's MAPI namespace", [&] {
         return s.application.call("GetNamespace", {com::Variant::text("MAPI")}).object("GetNamespace");
      });
      try {
         std::vector<com::Variant> logon;
         logon.push_back(target.profile.empty() ? com::Variant() : com::Variant::text(target.profile));
         logon.push_back(com::Variant());
         logon.push_back(com::Variant::boolean(false));  // never show a dialog to a bot
         logon.push_back(com::Variant::boolean(false));
         s.mapi.call("Logon", std::move(logon));
      } catch (const com::Error &error) {
         if (!target.profile.empty() && !com::is_busy(error.hr()) && !is_guard_refusal(error))
            throw Failure(RPA_INVALID_PROPERTIES, "profile: Outlook could not log on to the profile \"" +
                                                      printable(target.profile, 100) +
                                                      "\" (Control Panel > Mail > Show Profiles lists this "
                                                      "machine's profiles). Outlook said: " +
                                                      printable(error.description(), 300) + " (" +
                                                      hresult_text(error.hr()) + ")");
         throw outlook_failure(error, target.profile.empty()
                                          ? "logging on to the default profile"
                                          : "logging on to the profile \"" + target.profile + "\"");
      }
      facts.profile = outlook_step("asking Outlook for its profile", [&] {
         return s.mapi.get("CurrentProfileName").as_text("CurrentProfileName");
      });
      if (!target.profile.empty() && !iequals(facts.profile, target.profile))
         result.warnings.push_back("Outlook was already running with the profile \"" + facts.profile +
                                   "\" and keeps it; profile \"" + target.profile +
                                   "\" applies when Outlook starts");
      // A protected member (the address book): the object model guard, if it refuses, does so here.
      outlook_step("reading the signed-in user's address", [&] {
         com::Object user = s.mapi.get("CurrentUser").object("CurrentUser");
         facts.user_name = user.get("Name").as_text("Name");
         facts.user_address = user.get("Address").as_text("Address");
      });

      if (target.mailbox.empty()) {
         s.store = outlook_step("opening the default store",
                                [&] { return s.mapi.get("DefaultStore").object("DefaultStore"); });
      } else {
         const long count = static_cast<long>(outlook_step("listing the profile's stores", [&] {
            return s.mapi.get("Stores").object("Stores").get("Count").as_number("Count");
         }));
         std::vector<std::string> names;
         for (long i = 1; i <= count && !s.store; ++i)
            outlook_step("listing the profile's stores", [&] {
               com::Object store = s.mapi.get("Stores")
                                       .object("Stores")
                                       .call("Item", {com::Variant::number(i)})
                                       .object("Item");
               const std::string name = store.get("DisplayName").as_text("DisplayName");
               if (iequals(name, target.mailbox))
                  s.store = store;
               else
                  names.push_back(name);
            });
         if (!s.store) {
            // Not a store of the profile: a mailbox the user may open (a shared or delegated one).
            s.recipient = outlook_step("looking up the mailbox \"" + target.mailbox + "\"", [&] {
               return s.mapi.call("CreateRecipient", {com::Variant::text(target.mailbox)})
                   .object("CreateRecipient");
            });
            const bool resolved = outlook_step("looking up the mailbox \"" + target.mailbox + "\"", [&] {
               return s.recipient.call("Resolve").as_boolean("Resolve");
            });
            if (!resolved) {
               std::string listed;
               for (const std::string &name : names)
                  listed += (listed.empty() ? "\"" : ", \"") + printable(name, 100) + "\"";
               throw Failure(RPA_FOLDER_NOT_FOUND,
                             "mailbox: the Outlook profile has no store named \"" +
                                 printable(target.mailbox, 100) +
                                 "\" and Outlook's address book resolves no mailbox of that name or address" +
                                 (listed.empty() ? std::string() : "; its other stores: " + listed));
            }
            facts.shared = true;
         }
      }
      if (facts.shared) {
         try {
            s.shared = true;
            s.store_id = s.default_folder(6).get("StoreID").as_text("StoreID");
         } catch (const com::Error &error) {
            if (com::is_busy(error.hr()) || error.hr() == RPC_E_DISCONNECTED)
               throw outlook_failure(error, "opening the shared mailbox");
            throw Failure(
                RPA_AUTHENTICATION_FAILED,
                "mailbox: Outlook cannot open the Inbox of \"" + printable(target.mailbox, 100) +
                    "\": the signed-in user needs at least Reviewer permission on it (the mailbox's owner or "
                    "an Exchange administrator grants it). Outlook said: " +
                    printable(error.description(), 300) + " (" + hresult_text(error.hr()) + ")");
         }
         facts.mailbox = target.mailbox;
      } else {
         facts.mailbox = outlook_step("reading the store's name",
                                      [&] { return s.store.get("DisplayName").as_text("DisplayName"); });
         s.root = outlook_step("opening the store's folders",
                               [&] { return s.store.call("GetRootFolder").object("GetRootFolder"); });
         s.store_id = outlook_step("reading the store's id",
                                   [&] { return s.store.get("StoreID").as_text("StoreID"); });
      }
      release.opened = true;
      return result;
   });
   facts_ = std::move(opened.facts);
   for (std::string &warning : opened.warnings) {
      context.host().warning("Outlook: " + warning);
      warnings.push_back(std::move(warning));
   }
}

OutlookSession::~OutlookSession() { close(); }

void OutlookSession::close() {
   if (!state_) return;
   auto state = std::move(state_);
   sta_.stop([state] { *state = State{}; });  // released in the apartment that got them
}

void OutlookSession::noop(CallContext &context) {
   run(context, "Outlook to answer", [](State &s) {
      outlook_step("asking whether Outlook still answers", [&] { s.application.get("Name"); });
   });
}

std::vector<FolderInfo> OutlookSession::folders(CallContext &context) {
   const bool shared = facts_.shared;
   return run(context, "Outlook to list the folders", [shared](State &s) {
      std::vector<FolderInfo> found;
      // Roles: the store's default folders, by EntryID.
      std::vector<std::pair<std::string, const char *>> roles;
      for (const DefaultFolder &known : kDefaultFolders) {
         try {
            com::Object folder = s.default_folder(known.number);
            const std::string id = folder.get("EntryID").as_text("EntryID");
            roles.emplace_back(id, known.role);
            if (shared) {  // a shared mailbox shows its default folders only
               FolderInfo info;
               info.name = folder.get("Name").as_text("Name");
               info.path = info.listed_name = info.name;
               info.role = known.role;
               info.wire_name = id;
               info.delimiter = "/";
               info.attributes = {"\\HasNoChildren"};
               found.push_back(std::move(info));
            }
         } catch (const com::Error &error) {
            if (com::is_busy(error.hr()) || error.hr() == RPC_E_DISCONNECTED)
               throw outlook_failure(error, "listing the folders");
            // no such default folder in this store
         }
      }
      if (shared) return found;
      // The folder tree under the root, depth first, in Outlook's order.
      struct Level {
         com::Object folder;
         std::string path;
         int depth;
      };
      std::vector<Level> pending{{s.root, "", 0}};
      outlook_step("listing the folders", [&] {
         while (!pending.empty() && found.size() < kMaxFolders) {
            Level level = std::move(pending.back());
            pending.pop_back();
            com::Object children = level.folder.get("Folders").object("Folders");
            const long count = static_cast<long>(children.get("Count").as_number("Count"));
            std::vector<Level> next;
            for (long i = 1; i <= count && found.size() < kMaxFolders; ++i) {
               com::Object child = children.call("Item", {com::Variant::number(i)}).object("Item");
               if (child.get("DefaultItemType").as_number("DefaultItemType") != 0)
                  continue;  // not mail (olMailItem)
               FolderInfo info;
               info.name = child.get("Name").as_text("Name");
               info.path = level.path.empty() ? info.name : level.path + "/" + info.name;
               info.listed_name = info.path;
               info.delimiter = "/";
               info.wire_name = child.get("EntryID").as_text("EntryID");
               for (const auto &[id, role] : roles)
                  if (id == info.wire_name) info.role = role;
               const bool has_children =
                   child.get("Folders").object("Folders").get("Count").as_number("Count") > 0;
               info.attributes = {has_children ? "\\HasChildren" : "\\HasNoChildren"};
               found.push_back(info);
               if (has_children && level.depth + 1 < kMaxFolderDepth)
                  next.push_back({child, info.path, level.depth + 1});
            }
            for (auto level_next = next.rbegin(); level_next != next.rend(); ++level_next)
               pending.push_back(std::move(*level_next));
         }
      });
      return found;
   });
}

}  // namespace email
