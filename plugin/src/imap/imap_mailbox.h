// ImapMailbox: the mailbox interface (mailbox/mailbox.h) over one IMAP connection.
//
// Folders come from one LIST (RETURN (SPECIAL-USE) when offered, XLIST on servers that only
// have that) and are kept for the connection. A search is SELECT (only when another folder is
// selected) with UID SEARCH in the same flight, then one UID FETCH of the page's UID, FLAGS,
// RFC822.SIZE, BODYSTRUCTURE and the summary's header fields: two round trips for a page of any size. The raw message
// streams from the literal of UID FETCH BODY.PEEK[] straight to the caller's sink.
//
// References are "imap:<UIDVALIDITY>:<UID>:<mailbox name as sent>"; a folder whose UIDVALIDITY
// changed answers message_not_found. Moves use MOVE (RFC 6851) or COPY + \Deleted + UID EXPUNGE
// (UIDPLUS, RFC 4315); without UIDPLUS the original is left marked \Deleted (an EXPUNGE would
// remove every message so marked, not only this one) and the new reference is unknown.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "imap/imap_response.h"
#include "mailbox/cached_folder_mailbox.h"

namespace email {

class ImapClient;

class ImapMailbox final : public CachedFolderMailbox {
 public:
   explicit ImapMailbox(ImapClient &client) : client_(client) {}

   FolderInfo find_folder(const std::string &folder, CallContext &context) override;
   SearchPage search(const std::string &folder, const SearchQuery &query, CallContext &context) override;
   void fetch_raw(const std::string &ref, const ByteSink &sink, CallContext &context) override;
   // One part: BODYSTRUCTURE, then BINARY.PEEK[section] where the server decodes (RFC 3516), else
   // BODY.PEEK[section] decoded here (base64, or 7bit/8bit/binary as they are); an attached
   // message and a quoted-printable part without BINARY are left to the whole message
   // (imap/imap_attachment.cpp).
   std::optional<AttachmentInfo> fetch_attachment(const std::string &ref, unsigned index,
                                                  const ByteSink &sink, CallContext &context) override;
   void set_flags(const std::string &ref, FlagChange seen, FlagChange flagged, CallContext &context) override;
   // \Answered for a reply, the $Forwarded keyword (RFC 5788's registry) for a forward.
   void mark_answered(const std::string &ref, Answered how, CallContext &context) override;
   std::string move(const std::string &ref, const std::string &folder, CallContext &context) override;
   std::string copy(const std::string &ref, const std::string &folder, CallContext &context) override;
   std::string delete_message(const std::string &ref, bool permanently, CallContext &context) override;
   Appended append(const std::string &folder, std::string_view message, CallContext &context) override;
   Appended append_streamed(const std::string &folder, std::uint64_t size, const MessageReader &read,
                            CallContext &context) override;
   // Cursor "imap1:<UIDVALIDITY>:<last UID seen>"; a changed UIDVALIDITY resets it (imap_arrivals.cpp).
   Arrivals arrivals(const std::string &folder, const std::string &cursor, const SearchQuery &filter,
                     CallContext &context) override;
   // IDLE where offered (woken by EXISTS, renewed by the caller's `wait`), else polling.
   bool wait_for_change(const std::string &folder, std::chrono::milliseconds wait,
                        std::chrono::milliseconds poll, const std::function<bool()> &stop,
                        CallContext &context) override;

   struct Ref {
      std::uint64_t uidvalidity = 0, uid = 0;
      std::string wire_name;
   };
   static std::string make_ref(const Ref &ref);
   // Throws invalid_properties when `text` is not an IMAP reference.
   static Ref parse_ref(const std::string &text);

 protected:
   std::vector<FolderInfo> list_folders(CallContext &context) override;

 private:
   // search(), asking the server only for UIDs above the query's cursor when `only_after_cursor`
   // (oldest first: the messages that came after it).
   SearchPage search(const std::string &folder, const SearchQuery &query, bool only_after_cursor,
                     CallContext &context);
   // The highest UID in the selected folder (UID SEARCH UID *), 0 when it is empty.
   std::uint64_t highest_uid(CallContext &context);
   // SELECT `wire_name` unless it is open (ImapClient::select); returns its UIDVALIDITY.
   std::uint64_t select(const std::string &wire_name, CallContext &context);
   // Selects the reference's folder; message_not_found when its UIDVALIDITY changed.
   void select_ref(const Ref &ref, CallContext &context);
   std::string mailbox_argument(const std::string &wire_name) const;  // quoted, or a LITERAL+ literal
   std::string path_of(const std::string &wire_name, CallContext &context);
   // UID STORE; returns whether the server answered with the message's FETCH. None does not mean
   // no message: a STORE that changes nothing may come back without one (RFC 9051 6.4.6).
   bool store(const Ref &ref, const char *change, const std::string &flags, CallContext &context);
   // UID FETCH (UID): whether the selected folder holds the message.
   bool exists(const Ref &ref, CallContext &context);
   // A response handler that sets `found` on an untagged FETCH of the reference's UID.
   static std::function<void(const imap::Response &)> fetch_of(const Ref &ref, bool &found);
   // MOVE or COPY to `destination`: the new reference, "" when the server cannot say.
   std::string transfer(const Ref &ref, const FolderInfo &destination, bool keep_original,
                        CallContext &context);
   [[noreturn]] void not_found(const Ref &ref, CallContext &context);
   [[noreturn]] void refused(const char *what, const imap::Response &tagged) const;

   ImapClient &client_;
};

}  // namespace email
