// Pop3Mailbox: the mailbox interface (mailbox/mailbox.h) over one POP3 connection (RFC 1939).
//
// POP3 has one folder (INBOX), no flags and no server-side search: a search lists the messages
// (UIDL and LIST, once per connection), reads each candidate's header with TOP n 0 (pipelined
// in batches when the server offers PIPELINING, RFC 2449) and applies the filters to it; filters
// on seen, flagged and attachments are refused as unsupported rather than guessed, and so are
// set_flags, move, copy and append (capabilities() says so, and the session's info). References
// are "pop3:<UIDL>", which stay valid across sessions. DELE marks a message; the server removes
// it only when the session ends with QUIT (Disconnect); a lost connection deletes nothing.
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

   Pop3Client &client_;
   std::vector<Entry> entries_;
   bool loaded_ = false;
};

}  // namespace email
