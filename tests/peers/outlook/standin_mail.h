// The stand-in's messages: each .eml file of a folder directory is one mail item, read once with
// GMime when the folder's Items are first asked for; "NN.flags" next to "NN.eml" (as the Dovecot
// peer's seed writes them) holds "\Seen" and "\Flagged". What the plugin changes (read state,
// flags, moves, copies, deletions, new items) is kept in memory for the server's life.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "standin_world.h"

namespace standin {

struct AttachmentNode {
   std::wstring file_name;
   std::string bytes;
   std::wstring mime_tag;    // PR_ATTACH_MIME_TAG
   std::wstring content_id;  // PR_ATTACH_CONTENT_ID, "" when none
   long type = 1;            // olByValue; olEmbeddeditem (5) for an attached message
};

struct RecipientNode {
   std::wstring name, address;
   long type = 1;  // olTo 1, olCC 2, olBCC 3
};

struct MessageNode {
   std::wstring entry_id;         // "" until a new item is saved
   FolderNode *folder = nullptr;  // null once deleted for good
   std::wstring subject, sender_name, sender_address;
   std::vector<RecipientNode> recipients;
   double received = 0, sent = 0;  // VT_DATE, local time as Outlook gives it
   long size = 0;
   bool unread = true, flagged = false;
   long last_verb = 0;   // PR_LAST_VERB_EXECUTED, 0 = none
   long icon_index = 0;  // PR_ICON_INDEX, 0 = none
   std::wstring body, html;
   std::wstring transport_headers, message_id;  // "" = the item has none
   std::vector<AttachmentNode> attachments;
   // What a program sets on a new item before Send (standin_send.h).
   std::vector<std::wstring> reply_to;  // ReplyRecipients
   long importance = 1;                 // olImportanceNormal
   bool delete_after_submit = false;
   std::wstring sent_on_behalf_of, in_reply_to, references;
};

// The messages of `folder` in their order on disk (read at the first call).
std::vector<std::shared_ptr<MessageNode>> &messages(FolderNode &folder);

// The saved message with this EntryID anywhere in the world, or null.
std::shared_ptr<MessageNode> message_by_id(const std::wstring &entry_id);

// A fresh EntryID for a message saved, moved or copied.
std::wstring new_entry_id(const FolderNode &folder);

// Moves `message` into `target` (a new EntryID, as a move between folders of a PST gives).
void move_message(const std::shared_ptr<MessageNode> &message, FolderNode &target);

// The .eml `file` stored in `folder` as new mail: received now, a fresh EntryID.
std::shared_ptr<MessageNode> deliver_message(FolderNode &folder, const std::filesystem::path &file);

// Local VT_DATE of now.
double now_as_date();

// UTF-8 <-> UTF-16.
std::wstring wide(const std::string &utf8);
std::string utf8(const std::wstring &wide);

}  // namespace standin
