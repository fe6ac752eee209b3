// ImapMailbox's operations that change mail (imap/imap_mailbox.h): flags, move and copy, delete,
// append. Reading (folders, search, fetch) is in imap_mailbox.cpp.
#include <algorithm>
#include <cstring>
#include <functional>

#include "imap/imap_client.h"
#include "imap/imap_fetch.h"
#include "imap/imap_mailbox.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

using imap::Response;

bool ImapMailbox::store(const Ref &ref, const char *change, const std::string &flags, CallContext &context) {
   bool found = false;
   Response tagged =
       client_.run_with("UID STORE " + std::to_string(ref.uid) + " " + change + " (" + flags + ")", context,
                        fetch_of(ref, found));
   if (tagged.keyword != "OK") refused("change the message's flags", tagged);
   return found;
}

bool ImapMailbox::exists(const Ref &ref, CallContext &context) {
   bool found = false;
   Response tagged =
       client_.run_with("UID FETCH " + std::to_string(ref.uid) + " (UID)", context, fetch_of(ref, found));
   if (tagged.keyword != "OK") refused("look up the message", tagged);
   return found;
}

std::function<void(const Response &)> ImapMailbox::fetch_of(const Ref &ref, bool &found) {
   return [&found, uid = ref.uid](const Response &r) {
      if (r.keyword != "FETCH") return;
      try {
         if (imap::parse_fetch(r.text).uid == uid) found = true;
      } catch (const std::exception &) {}
   };
}

void ImapMailbox::set_flags(const std::string &text, FlagChange seen, FlagChange flagged,
                            CallContext &context) {
   const Ref ref = parse_ref(text);
   select_ref(ref, context);
   std::string add, remove;
   auto put = [](std::string &list, const char *flag) {
      list += (list.empty() ? "" : " ") + std::string(flag);
   };
   if (seen == FlagChange::set) put(add, "\\Seen");
   if (seen == FlagChange::clear) put(remove, "\\Seen");
   if (flagged == FlagChange::set) put(add, "\\Flagged");
   if (flagged == FlagChange::clear) put(remove, "\\Flagged");
   // Not .SILENT: an untagged FETCH proves the message exists. A STORE that changes nothing may
   // come back without one (RFC 9051 6.4.6 lets the server leave it out, and Dovecot does), so
   // then a UID FETCH asks (one more round trip, only then).
   bool found = false;
   if (!add.empty()) found = store(ref, "+FLAGS", add, context);
   if (!remove.empty()) found = store(ref, "-FLAGS", remove, context) || found;
   if (!found && !exists(ref, context)) not_found(ref, context);
}

void ImapMailbox::mark_answered(const std::string &text, Answered how, CallContext &context) {
   const Ref ref = parse_ref(text);
   select_ref(ref, context);
   const bool found = store(ref, "+FLAGS", how == Answered::forward ? "$Forwarded" : "\\Answered", context);
   if (!found && !exists(ref, context)) not_found(ref, context);
}

std::string ImapMailbox::transfer(const Ref &ref, const FolderInfo &destination, bool keep_original,
                                  CallContext &context) {
   select_ref(ref, context);
   const bool uidplus = client_.has_capability("UIDPLUS");
   const bool use_move = !keep_original && client_.has_capability("MOVE");
   std::optional<imap::UidPlusCode> copied;
   auto note_code = [&](const Response &r) {
      if (!copied && r.is_status() && r.has_code("COPYUID")) copied = imap::parse_uidplus_code(r.code);
   };
   const std::string command = std::string(use_move ? "UID MOVE " : "UID COPY ") + std::to_string(ref.uid) +
                               " " + mailbox_argument(destination.wire_name);
   Response tagged = client_.run_with(command, context, note_code);
   note_code(tagged);
   if (tagged.keyword != "OK") {
      if (tagged.has_code("TRYCREATE") || tagged.has_code("NONEXISTENT"))
         throw Failure(RPA_FOLDER_NOT_FOUND,
                       client_.server() + " has no folder \"" + destination.path + "\": " + tagged.said(200));
      refused(use_move ? "move the message" : "copy the message", tagged);
   }
   if (uidplus && !copied) not_found(ref, context);  // UIDPLUS servers say COPYUID for every copy
   if (!keep_original && !use_move) {
      store(ref, "+FLAGS.SILENT", "\\Deleted", context);
      if (uidplus) {
         Response expunged =
             client_.run_with("UID EXPUNGE " + std::to_string(ref.uid), context, [](const Response &) {});
         if (expunged.keyword != "OK") refused("remove the moved message from its folder", expunged);
      } else {
         context.host().warning(
             "IMAP: " + client_.server() +
             " has no UIDPLUS, so the original stays marked \\Deleted until the folder is expunged");
      }
   }
   if (!copied) return "";
   for (std::size_t i = 0; i < copied->source.size() && i < copied->destination.size(); ++i)
      if (copied->source[i] == ref.uid)
         return make_ref({copied->uidvalidity, copied->destination[i], destination.wire_name});
   return copied->destination.size() == 1
              ? make_ref({copied->uidvalidity, copied->destination[0], destination.wire_name})
              : "";
}

std::string ImapMailbox::move(const std::string &text, const std::string &folder, CallContext &context) {
   const Ref ref = parse_ref(text);
   const FolderInfo destination = find_folder(folder, context);
   if (destination.wire_name == ref.wire_name)
      throw Failure(RPA_INVALID_PROPERTIES, "folder: the message already is in \"" + destination.path + "\"");
   return transfer(ref, destination, false, context);
}

std::string ImapMailbox::copy(const std::string &text, const std::string &folder, CallContext &context) {
   const Ref ref = parse_ref(text);
   return transfer(ref, find_folder(folder, context), true, context);
}

std::string ImapMailbox::delete_message(const std::string &text, bool permanently, CallContext &context) {
   const Ref ref = parse_ref(text);
   const std::vector<FolderInfo> all = folders(context);
   const FolderInfo *trash = nullptr;
   for (const FolderInfo &folder : all)
      if (folder.role == "trash") trash = &folder;
   if (!permanently && trash && trash->wire_name != ref.wire_name) {
      transfer(ref, *trash, false, context);
      return "moved the message to \"" + trash->path + "\"";
   }
   select_ref(ref, context);
   if (!store(ref, "+FLAGS", "\\Deleted", context) && !exists(ref, context)) not_found(ref, context);
   if (!client_.has_capability("UIDPLUS"))
      return "marked the message \\Deleted; " + client_.server() +
             " has no UIDPLUS, so it goes when the folder is next expunged";
   Response expunged =
       client_.run_with("UID EXPUNGE " + std::to_string(ref.uid), context, [](const Response &) {});
   if (expunged.keyword != "OK") refused("remove the message", expunged);
   return std::string("deleted the message for good") + (permanently ? ""
                                                         : trash     ? " (it was in the trash folder)"
                                                                     : " (there is no trash folder)");
}

Appended ImapMailbox::append(const std::string &folder, std::string_view message, CallContext &context) {
   std::size_t at = 0;
   return append_streamed(
       folder, message.size(),
       [&](char *buffer, std::size_t capacity) {
          const std::size_t n = std::min(capacity, message.size() - at);
          std::memcpy(buffer, message.data() + at, n);
          at += n;
          return n;
       },
       context);
}

Appended ImapMailbox::append_streamed(const std::string &folder, std::uint64_t size,
                                      const MessageReader &read, CallContext &context) {
   const FolderInfo destination = find_folder(folder, context);
   Response tagged = client_.run_with_literal(
       "APPEND " + mailbox_argument(destination.wire_name) + " (\\Seen)", size, read, context);
   if (tagged.keyword != "OK") {
      if (tagged.has_code("TRYCREATE"))
         throw Failure(RPA_FOLDER_NOT_FOUND,
                       client_.server() + " has no folder \"" + destination.path + "\"");
      refused("store the message", tagged);
   }
   if (auto appended = imap::parse_uidplus_code(tagged.code); appended && appended->destination.size() == 1)
      return {make_ref({appended->uidvalidity, appended->destination[0], destination.wire_name}), ""};
   return {};
}

}  // namespace email
