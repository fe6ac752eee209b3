#include "mailbox/folder_roles.h"

#include "util/text.h"

namespace email {

namespace {
struct RoleName {
   const char *role;
   const char *attribute;  // RFC 6154 or XLIST
};
constexpr RoleName kAttributes[] = {
    {"inbox", "\\Inbox"}, {"sent", "\\Sent"}, {"drafts", "\\Drafts"},   {"trash", "\\Trash"},
    {"junk", "\\Junk"},   {"junk", "\\Spam"}, {"archive", "\\Archive"}, {"archive", "\\AllMail"},
};
// Names clients and servers create, in the order tried (top-level folders or INBOX children).
struct WellKnown {
   const char *role;
   const char *name;
};
constexpr WellKnown kNames[] = {
    {"sent", "Sent"},           {"sent", "Sent Items"},        {"sent", "Sent Messages"},
    {"sent", "Sent Mail"},      {"drafts", "Drafts"},          {"trash", "Trash"},
    {"trash", "Deleted Items"}, {"trash", "Deleted Messages"}, {"junk", "Junk"},
    {"junk", "Junk E-mail"},    {"junk", "Junk Email"},        {"junk", "Spam"},
    {"archive", "Archive"},     {"archive", "Archives"},
};
}  // namespace

std::string_view without_trailing_slashes(std::string_view folder) {
   while (!folder.empty() && folder.back() == '/') folder.remove_suffix(1);
   return folder;
}

bool is_role_name(std::string_view text) {
   for (const char *role : {"inbox", "sent", "drafts", "trash", "junk", "archive"})
      if (text == role) return true;
   return false;
}

std::string role_from_attributes(const std::vector<std::string> &attributes) {
   for (const std::string &attribute : attributes)
      for (const RoleName &known : kAttributes)
         if (iequals(attribute, known.attribute)) return known.role;
   return "";
}

void assign_roles_by_name(std::vector<FolderInfo> &folders) {
   auto taken = [&](const char *role) {
      for (const FolderInfo &folder : folders)
         if (folder.role == role) return true;
      return false;
   };
   for (FolderInfo &folder : folders)
      if (iequals(folder.path, "INBOX")) folder.role = "inbox";
   for (const WellKnown &known : kNames) {
      if (taken(known.role)) continue;
      for (FolderInfo &folder : folders) {
         const bool top = folder.path == folder.name;
         const bool under_inbox = iequals(folder.path, std::string("INBOX/") + folder.name);
         if (folder.role.empty() && folder.selectable && (top || under_inbox) &&
             iequals(folder.name, known.name)) {
            folder.role = known.role;
            break;
         }
      }
   }
}

}  // namespace email
