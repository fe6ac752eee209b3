// Mailbox: what every protocol engine offers the mailbox interface (rpa/ext/email_mailbox.h) in
// C++ terms. The C entry points (session/email_session_object.h) parse and check the caller's
// arguments, turn these results into JSON and catch every exception; an engine implements the
// protocol and throws Failure with the status the header names.
//
// Attachments and bodies are not here: the session fetches the raw message once (fetch_raw) and
// reads it with GMime (mime/message_file.h), the same way for every protocol.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/call_context.h"
#include "net/transport.h"

namespace email {

// The one folder model of every backend. email.mailbox/1 shows path, name, role and selectable;
// email.session/1's list_folders shows the folder as the service lists it.
struct FolderInfo {
   std::string path;  // levels joined with "/", UTF-8: "INBOX/Projects"
   std::string name;  // the last level: "Projects"
   std::string role;  // "inbox", "sent", "drafts", "trash", "junk", "archive" or ""
   bool selectable = true;
   std::string wire_name;  // how the protocol names it (IMAP: the mailbox name as sent; EWS, Graph: its id)
   // As the service lists it: the name with the service's own level delimiter (IMAP, decoded:
   // "INBOX.Projects" where the delimiter is "."; EWS, Graph: the path), that delimiter ("" when
   // the service has no levels) and the attributes (IMAP's LIST attributes; EWS, Graph:
   // \HasChildren or \HasNoChildren).
   std::string listed_name;
   std::string delimiter;
   std::vector<std::string> attributes;
};

struct MailAddress {
   std::string name;     // display name, UTF-8 ("" when none)
   std::string address;  // "user@example.com"
};

struct AttachmentInfo {
   unsigned index = 0;
   std::string name;          // UTF-8, from filename or name (RFC 2231 / RFC 2047 decoded)
   std::string content_type;  // "application/pdf"
   std::uint64_t size = 0;    // decoded bytes (estimated from the encoded size)
};

struct MessageSummary {
   std::string ref;
   std::string folder;  // path
   std::string subject;
   std::optional<MailAddress> from;
   std::vector<MailAddress> to, cc;
   std::string date;  // RFC 3339, or "" when missing or unreadable
   std::uint64_t size = 0;
   bool seen = false, flagged = false, answered = false;
   std::string message_id;  // "" when missing
   // The attachments, when the listing learnt them with the summary (IMAP's BODYSTRUCTURE, EWS's
   // and Graph's attachment lists); nullopt when it did not (POP3: only the whole message tells),
   // and the page's JSON then has no "attachments" member. An empty list means none.
   std::optional<std::vector<AttachmentInfo>> attachments;
};

struct CalendarDate {
   int year = 0, month = 0, day = 0;
   bool operator<(const CalendarDate &other) const {
      return year != other.year     ? year < other.year
             : month != other.month ? month < other.month
                                    : day < other.day;
   }
};

struct SearchQuery {
   std::optional<bool> seen, flagged, has_attachments;
   std::optional<CalendarDate> since, before;
   std::string from, to, subject;  // substrings, "" = any
   bool newest_first = true;
   unsigned limit = 100;
   std::string cursor;  // "" = from the start
};

struct SearchPage {
   std::vector<MessageSummary> messages;
   std::string next_cursor;           // "" = no more
   std::optional<std::size_t> total;  // matching before has_attachments and paging; unknown: nullopt
};

// What arrived in a folder after a cursor (Mailbox::arrivals, rpa/ext/email_watch.h).
struct Arrivals {
   // A look returns at most this many messages; its cursor is after the last, and the next look
   // goes on from there.
   static constexpr std::size_t kMostAtOnce = 100;
   std::vector<MessageSummary> messages;  // oldest first
   std::string cursor;                    // after them (or where the cursor was, when none came)
   bool cursor_reset = false;             // the cursor could not be followed: `cursor` is "from now"
};

enum class FlagChange { keep, set, clear };

// How a message was answered (Mailbox::mark_answered).
enum class Answered { reply, reply_all, forward };

// What Exchange and Outlook record for it ([MS-OXOMSG] 2.2.1.80, [MS-OXOCFG] icon indexes):
// PidTagLastVerbExecuted (0x1081): 102 reply, 103 reply all, 104 forward; PidTagIconIndex
// (0x1080): 261 replied, 262 forwarded.
inline long last_verb_executed(Answered how) {
   return how == Answered::reply ? 102 : how == Answered::reply_all ? 103 : 104;
}
inline long icon_index(Answered how) { return how == Answered::forward ? 262 : 261; }

// Receives a message's bytes in order. Throws Failure(RPA_CANCELLED) when the receiver stopped.
using ByteSink = std::function<void(std::string_view chunk)>;

// The folder of a service that names folders by id and shows paths of display names (EWS,
// Graph): `path` "Inbox/Projects", its name the last part, delimiter "/", \HasChildren or
// \HasNoChildren.
FolderInfo folder_at(const std::string &id, const std::string &path, bool has_children);

// Filters applied here rather than by the server (POP3 for all; EWS and Graph for from and to,
// which their searches cannot match): case-insensitive substrings of "Name <address>".
bool matches_sender_and_recipients(const SearchQuery &query, const std::optional<MailAddress> &from,
                                   const std::vector<MailAddress> &to);
bool contains_ignoring_case(const std::string &haystack, const std::string &needle);
// Every filter of `query` on a summary (a wait's look, where the service matches none of them):
// seen, flagged, sent dates (an RFC 3339 UTC `date`), attachments, subject, from and to.
bool summary_matches(const SearchQuery &query, const MessageSummary &message, bool has_attachments);
// "2026-11-10T00:00:00Z": the start of `date` in UTC, for EWS and Graph date filters.
std::string utc_midnight(const CalendarDate &date);

// What append() stored: the new reference ("" when the server cannot say) and what a bot designer
// should know about the stored copy on this service ("" if nothing), e.g. Graph's draft flag.
struct Appended {
   std::string ref;
   std::string note;
};

// What a mailbox can do beyond what every one does (list and find folders; search by dates, from,
// to and subject; fetch; delete). The session's info shows it ("mailbox_operations",
// "search_filters"); what a mailbox cannot do answers unsupported, saying why, before the
// protocol is asked.
struct MailboxCapabilities {
   bool flags = true;              // keeps seen and flagged: set_flags, search by them
   bool attachment_search = true;  // search by has_attachments without downloading each message
   bool move = true, copy = true, append = true;
   bool messages = true;     // search, fetch and delete: false while a backend offers folders only
   const char *who = "";     // "POP3": who cannot, in messages
   const char *limits = "";  // why not, for the bot designer ("it offers one folder (INBOX), ...")
   // How a wait for new mail (arrivals, wait_for_change) sees it: how often a mailbox that is not
   // told is asked when the wait gives no poll_seconds, and whether a connection shows only what
   // was there when it opened (POP3's maildrop: each look then needs a connection of its own).
   unsigned poll_seconds = 60;
   bool sees_new_mail_on_new_connection_only = false;
};

// A server telling a wait that a folder changed, outside the session's lock (Mailbox::listen): EWS's
// streaming notifications. Made under the session's lock, waited on without it, so the session's
// other calls go on meanwhile; one thread at a time.
class ChangeListener {
 public:
   virtual ~ChangeListener() = default;
   // Returns true once the folder may have new mail (look now), false after `wait`, when `stop`
   // said so, or when the server ended the notifications (then open() is false: listen anew).
   // Sleeps through the context's idle_step (its alarm). A server that stops telling (a refusal
   // it names) is polled every `poll` from then on, with a warning saying why. Throws Failure.
   virtual bool wait(std::chrono::milliseconds wait, std::chrono::milliseconds poll,
                     const std::function<bool()> &stop, CallContext &context) = 0;
   // Whether it can wait again; false once the server ended the notifications.
   virtual bool open() const = 0;
   // The bytes and round trips of its connection (the wait's tally).
   virtual TransportStats stats() const = 0;
};

// Gives the next bytes of a message, at most `capacity` of them, into `buffer`; 0 at its end.
using MessageReader = std::function<std::size_t(char *buffer, std::size_t capacity)>;

class Mailbox {
 public:
   virtual ~Mailbox() = default;
   // Everything, unless the backend says less.
   virtual MailboxCapabilities capabilities() const { return {}; }
   // Throws unsupported ("POP3 cannot move messages: <limits>") unless `able`.
   void require(bool able, const char *what) const;
   // Throws unsupported when `query` filters by what this mailbox cannot search.
   void require_filters(const SearchQuery &query) const;
   // Every folder; listed once and kept for the session (until forget_folders).
   virtual std::vector<FolderInfo> folders(CallContext &context) = 0;
   // Drops the kept list, so that the next folders() lists again.
   virtual void forget_folders() {}
   // Resolves a role or a path (email_mailbox.h); throws folder_not_found.
   virtual FolderInfo find_folder(const std::string &folder, CallContext &context);
   virtual SearchPage search(const std::string &folder, const SearchQuery &query, CallContext &context) = 0;
   virtual void fetch_raw(const std::string &ref, const ByteSink &sink, CallContext &context) = 0;
   // Attachment `index` (by mime/attachment_rule.h) decoded to `sink` without fetching the whole
   // message, where the protocol can fetch one part (IMAP); nullopt, with nothing written, where
   // it cannot or would rather not (the caller then decodes it from fetch_raw's message). An
   // index past the last is message_not_found (mime::no_such_attachment). Default: nullopt.
   virtual std::optional<AttachmentInfo> fetch_attachment(const std::string &ref, unsigned index,
                                                          const ByteSink &sink, CallContext &context) {
      (void)ref, (void)index, (void)sink, (void)context;
      return std::nullopt;
   }
   // The four below are asked only when capabilities() says the mailbox can; their defaults
   // answer unsupported.
   virtual void set_flags(const std::string &ref, FlagChange seen, FlagChange flagged, CallContext &context);
   // Return the new reference, or "" when the server cannot say.
   virtual std::string move(const std::string &ref, const std::string &folder, CallContext &context);
   virtual std::string copy(const std::string &ref, const std::string &folder, CallContext &context);
   virtual Appended append(const std::string &folder, std::string_view message, CallContext &context);
   // append() of a message of `size` bytes that `read` gives from its first byte, for one that
   // should not be whole in memory (the sent copy of a large message, read from its spool). The
   // default reads it whole and calls append(); IMAP streams it as the APPEND literal.
   virtual Appended append_streamed(const std::string &folder, std::uint64_t size, const MessageReader &read,
                                    CallContext &context);
   // The messages of `folder` matching `filter` (its limit, order and cursor ignored) that came
   // after `cursor` ("" = from now: none, and the cursor of now), at most 100, without waiting.
   // Throws invalid_properties for a cursor that is not the backend's. Default: unsupported.
   virtual Arrivals arrivals(const std::string &folder, const std::string &cursor, const SearchQuery &filter,
                             CallContext &context);
   // Returns once `folder` may have new mail (IMAP IDLE's EXISTS: true), or after `wait` (false),
   // asking `stop` at least every second and returning false when it says so. `poll` is how
   // often a backend that cannot be told is asked. Default: sleeps min(wait, poll), then true.
   virtual bool wait_for_change(const std::string &folder, std::chrono::milliseconds wait,
                                std::chrono::milliseconds poll, const std::function<bool()> &stop,
                                CallContext &context);
   // A listener for changes of `folder` for up to `wait` (a server that tells of them while no
   // connection of the wait's own is open: EWS's streaming notifications), made before the look it
   // goes with, so that nothing arriving in between is missed; null when this mailbox cannot be
   // told (then the wait polls every `poll`, which a refusal's warning names). Default: null.
   virtual std::unique_ptr<ChangeListener> listen(const std::string &folder, std::chrono::milliseconds wait,
                                                  std::chrono::milliseconds poll, CallContext &context);
   // Sleeps `wait` in slices of at most a second, asking `stop` between them (false when it said
   // so, else true): a poll's wait, through the host's pause.
   static bool sleep_until_next_look(std::chrono::milliseconds wait, const std::function<bool()> &stop,
                                     CallContext &context);
   // Returns a sentence saying what happened (moved to the trash, deleted for good, ...).
   virtual std::string delete_message(const std::string &ref, bool permanently, CallContext &context) = 0;
   // Records that the message was replied to or forwarded, where the backend keeps that (IMAP's
   // \Answered and $Forwarded; PidTagLastVerbExecuted on Exchange and in Outlook, which shows
   // the replied or forwarded icon). The default answers unsupported.
   virtual void mark_answered(const std::string &ref, Answered how, CallContext &context);

 protected:
   // The folder `folder` names among `all` (roles first, then paths; INBOX in any case), or null.
   static const FolderInfo *match_folder(const std::vector<FolderInfo> &all, const std::string &folder);
};

}  // namespace email
