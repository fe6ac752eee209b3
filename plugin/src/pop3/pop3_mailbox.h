// Pop3Mailbox: the mailbox interface (mailbox/mailbox.h) over one POP3 connection (RFC 1939).
//
// POP3 has one folder (INBOX), no flags and no server-side search: a search lists the messages
// (UIDL and LIST, once per connection), reads each candidate's header with TOP n 0 (pipelined
// in batches when the server offers PIPELINING, RFC 2449) and applies the filters to it; filters
// on seen, flagged and attachments are refused as unsupported rather than guessed, and so are
// set_flags, move, copy and append (capabilities() says so, and the session's info). References
// are "pop3:<UIDL>", which stay valid across sessions. DELE marks a message; the server removes
// it only when the connection ends with QUIT (Disconnect); a lost connection deletes nothing.
//
// New mail (arrivals, pop3_arrivals.cpp): a POP3 connection shows the maildrop as it was at
// sign-in, so a wait looks on a new connection each time (capabilities() says so) and polls. A
// reference the connection does not know may name such a message: the session then opens a new
// connection (QUIT first, carrying out the deletions asked for) and asks once more
// (EmailSessionObject::renew_view).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mailbox/mailbox.h"
#include "mime/header_summary.h"

namespace email {

class Pop3Client;

class Pop3Mailbox final : public Mailbox {
 public:
   explicit Pop3Mailbox(Pop3Client &client) : client_(client) {}

   MailboxCapabilities capabilities() const override;
   std::vector<FolderInfo> folders(CallContext &context) override;
   SearchPage search(const std::string &folder, const SearchQuery &query, CallContext &context) override;
   void fetch_raw(const std::string &ref, const ByteSink &sink, CallContext &context) override;
   std::string delete_message(const std::string &ref, bool permanently, CallContext &context) override;
   // The cursor "pop3a1:<c|p>:<hashes>" names the newest messages seen (at most 32, by a hash of
   // their UIDL), "c" when they were every message there: messages after the newest of them still
   // there are new, and, for a "c" cursor, every message not named. A "p" cursor none of whose
   // messages is left cannot be followed (cursor_reset).
   Arrivals arrivals(const std::string &folder, const std::string &cursor, const SearchQuery &filter,
                     CallContext &context) override;

 private:
   struct Entry {
      unsigned number = 0;
      std::string uidl;
      std::uint64_t size = 0;
      bool deleted = false;
      std::optional<mime::HeaderSummary> header;
   };
   void load(CallContext &context);  // UIDL + LIST, once
   Entry &entry_for(const std::string &ref, CallContext &context);
   // Reads the lines of a multi-line reply (unstuffed, without the final ".") to `on_line`.
   template <typename OnLine>
   void read_lines(CallContext &context, const char *what, OnLine on_line);
   void read_headers(std::vector<Entry *> &entries, CallContext &context);  // TOP n 0
   static MessageSummary summary_of(const Entry &entry);
   // The filters of a search on a message's header (since, before, from, to, subject).
   static bool matches(const mime::HeaderSummary &header, const SearchQuery &query);

   Pop3Client &client_;
   std::vector<Entry> entries_;
   bool loaded_ = false;
};

}  // namespace email
