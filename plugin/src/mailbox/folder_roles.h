// Folder roles: which folder is the inbox, sent, drafts, trash, junk or archive folder.
//
// Servers say it with IMAP SPECIAL-USE attributes (RFC 6154: \Sent, \Drafts, \Trash, \Junk,
// \Archive), Gmail's older XLIST ones (\Inbox, \Spam, \AllMail, ...) or EWS distinguished folder
// ids. Servers that say nothing get the names mail clients create (Sent, Sent Items, Trash,
// Deleted Items, Junk E-mail, Spam, ...), used only for roles no folder claims by attribute.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mailbox/mailbox.h"

namespace email {

// True for the six role names ("inbox", "sent", "drafts", "trash", "junk", "archive").
bool is_role_name(std::string_view text);

// A folder as the bot named it, without trailing slashes ("Projects/2026/" is "Projects/2026").
std::string_view without_trailing_slashes(std::string_view folder);

// The role an attribute list gives ("" when none).
std::string role_from_attributes(const std::vector<std::string> &attributes);

// Gives roles to `folders` that have none by attribute, from well-known names, for roles no folder
// holds yet; INBOX is always "inbox".
void assign_roles_by_name(std::vector<FolderInfo> &folders);

}  // namespace email
