#include "pop3/pop3_mailbox.h"

#include <algorithm>
#include <map>

#include "pop3/pop3_client.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

using pop3::Reply;

namespace {

constexpr std::size_t kMaxMessages = 1000000;
constexpr std::size_t kMaxHeaderBytes = 1024 * 1024;

}  // namespace

bool Pop3Mailbox::matches(const mime::HeaderSummary &header, const SearchQuery &query) {
   if (query.since && (!header.day || *header.day < *query.since)) return false;
   if (query.before && (!header.day || !(*header.day < *query.before))) return false;
   if (!matches_sender_and_recipients(query, header.from, header.to)) return false;
   if (!query.subject.empty() && !contains_ignoring_case(header.subject, query.subject)) return false;
   return true;
}

MailboxCapabilities Pop3Mailbox::capabilities() const {
   MailboxCapabilities can;
   can.sees_new_mail_on_new_connection_only = true;
   can.flags = can.attachment_search = can.move = can.copy = can.append = false;
   can.who = "POP3";
   can.limits =
       "a POP3 server keeps no flags and only hands out what arrived, in one folder (INBOX), "
       "with no server-side search. Connect over IMAP to do this.";
   return can;
}

template <typename OnLine>
void Pop3Mailbox::read_lines(CallContext &context, const char *what, OnLine on_line) {
   while (std::optional<std::string> line = client_.read_multiline(context, what)) on_line(*line);
}

void Pop3Mailbox::load(CallContext &context) {
   if (loaded_) return;
   Reply uidl = client_.command("UIDL", context);
   if (uidl.kind != Reply::Kind::ok)
      throw Failure(RPA_UNSUPPORTED, client_.server() +
                                         " does not give messages lasting ids (UIDL refused: " +
                                         printable(uidl.text, 120) + "), so they cannot be referred to");
   std::map<unsigned, Entry> by_number;
   auto number_and_rest = [&](const std::string &line, std::string &rest) -> unsigned {
      const std::size_t space = line.find(' ');
      const std::string digits = line.substr(0, space);
      if (space == std::string::npos || digits.empty() || digits.size() > 9 ||
          digits.find_first_not_of("0123456789") != std::string::npos)
         throw Failure(
             RPA_PROTOCOL_ERROR,
             client_.server() + " sent a message list line that cannot be read: " + printable(line, 80));
      rest = line.substr(space + 1);
      return static_cast<unsigned>(std::stoul(digits));
   };
   read_lines(context, "the POP3 message ids", [&](const std::string &line) {
      if (by_number.size() >= kMaxMessages)
         throw Failure(RPA_PROTOCOL_ERROR, client_.server() + " listed too many messages");
      std::string id;
      const unsigned number = number_and_rest(line, id);
      by_number[number].number = number;
      by_number[number].uidl = id;
   });
   Reply list = client_.command("LIST", context);
   if (list.kind != Reply::Kind::ok)
      throw Failure(RPA_PROTOCOL_ERROR, client_.server() + " refused LIST: " + printable(list.text, 120));
   read_lines(context, "the POP3 message sizes", [&](const std::string &line) {
      std::string size;
      const unsigned number = number_and_rest(line, size);
      auto found = by_number.find(number);
      const std::string digits = size.substr(0, size.find(' '));
      if (found != by_number.end() && !digits.empty() && digits.size() <= 19 &&
          digits.find_first_not_of("0123456789") == std::string::npos)
         found->second.size = std::stoull(digits);
   });
   entries_.clear();
   for (auto &pair : by_number) entries_.push_back(std::move(pair.second));
   loaded_ = true;
}

Pop3Mailbox::Entry &Pop3Mailbox::entry_for(const std::string &ref, CallContext &context) {
   if (ref.rfind("pop3:", 0) != 0 || ref.size() <= 5)
      throw Failure(RPA_INVALID_PROPERTIES,
                    "\"" + printable(ref, 80) + "\" is not a message reference from a POP3 session");
   load(context);
   const std::string uidl = ref.substr(5);
   for (Entry &entry : entries_)
      if (entry.uidl == uidl) {
         if (entry.deleted) break;
         return entry;
      }
   throw Failure(RPA_MESSAGE_NOT_FOUND, "the mailbox has no message with the id \"" + printable(uidl, 80) +
                                            "\" (deleted, or taken by another client?)");
}

std::vector<FolderInfo> Pop3Mailbox::folders(CallContext &) {
   FolderInfo inbox;
   inbox.path = inbox.name = inbox.wire_name = inbox.listed_name = "INBOX";
   inbox.role = "inbox";
   return {inbox};
}

void Pop3Mailbox::read_headers(std::vector<Entry *> &entries, CallContext &context) {
   // The sign-in may have skipped CAPA (pop3_client.h); whether TOP commands may be pipelined is
   // worth one round trip when there are several to send.
   const std::size_t batch = client_.pipelining(entries.size() > 2, context) ? 50 : 1;
   for (std::size_t start = 0; start < entries.size(); start += batch) {
      const std::size_t end = std::min(entries.size(), start + batch);
      std::string commands, trace;
      for (std::size_t i = start; i < end; ++i)
         commands += "TOP " + std::to_string(entries[i]->number) + " 0\r\n";
      client_.send_lines(commands, context);
      for (std::size_t i = start; i < end; ++i) {
         Reply reply = client_.read_reply(context);
         if (reply.kind != Reply::Kind::ok) {
            context.host().warning("POP3: " + client_.server() + " refused TOP " +
                                   std::to_string(entries[i]->number) + ": " + printable(reply.text, 120));
            entries[i]->header = mime::HeaderSummary{};
            continue;
         }
         std::string header;
         read_lines(context, "a POP3 message header", [&](const std::string &line) {
            if (header.size() < kMaxHeaderBytes) header += line + "\r\n";
         });
         entries[i]->header = mime::summarize_headers(header);
      }
   }
}

SearchPage Pop3Mailbox::search(const std::string &folder, const SearchQuery &query, CallContext &context) {
   find_folder(folder, context);
   require_filters(query);
   load(context);
   std::vector<Entry *> order;
   for (Entry &entry : entries_)
      if (!entry.deleted) order.push_back(&entry);
   if (query.newest_first) std::reverse(order.begin(), order.end());
   if (!query.cursor.empty()) {
      auto at = std::find_if(order.begin(), order.end(), [&](Entry *e) { return e->uidl == query.cursor; });
      if (at == order.end())
         throw Failure(RPA_INVALID_PROPERTIES,
                       "cursor: the message it continues from is gone; search again without it");
      order.erase(order.begin(), at + 1);
   }
   const bool filtered =
       query.since || query.before || !query.from.empty() || !query.to.empty() || !query.subject.empty();
   SearchPage page;
   std::size_t next = 0;
   while (page.messages.size() < query.limit && next < order.size()) {
      const std::size_t want = query.limit - page.messages.size();
      std::vector<Entry *> batch(
          order.begin() + next,
          order.begin() + std::min(order.size(), next + (filtered ? std::max<std::size_t>(want, 50) : want)));
      std::vector<Entry *> missing;
      for (Entry *entry : batch)
         if (!entry->header) missing.push_back(entry);
      read_headers(missing, context);
      for (Entry *entry : batch) {
         ++next;
         if (!matches(*entry->header, query)) continue;
         page.messages.push_back(summary_of(*entry));
         if (page.messages.size() >= query.limit) break;
      }
   }
   if (!filtered)  // with filters only reading every header would tell
      page.total = static_cast<std::size_t>(
          std::count_if(entries_.begin(), entries_.end(), [](const Entry &e) { return !e.deleted; }));
   if (next < order.size()) page.next_cursor = order[next - 1]->uidl;
   return page;
}

MessageSummary Pop3Mailbox::summary_of(const Entry &entry) {
   MessageSummary summary;
   summary.ref = "pop3:" + entry.uidl;
   summary.folder = "INBOX";
   summary.subject = entry.header->subject;
   summary.from = entry.header->from;
   summary.to = entry.header->to;
   summary.cc = entry.header->cc;
   summary.date = entry.header->date;
   summary.message_id = entry.header->message_id;
   summary.size = entry.size;
   return summary;
}

void Pop3Mailbox::fetch_raw(const std::string &ref, const ByteSink &sink, CallContext &context) {
   Entry &entry = entry_for(ref, context);
   Reply reply = client_.command("RETR " + std::to_string(entry.number), context);
   if (reply.kind != Reply::Kind::ok)
      throw Failure(RPA_MESSAGE_NOT_FOUND,
                    client_.server() + " would not send the message: " + printable(reply.text, 120));
   std::string chunk;
   read_lines(context, "a POP3 message", [&](const std::string &line) {
      chunk += line;
      chunk += "\r\n";
      if (chunk.size() >= 64 * 1024) {
         sink(chunk);
         chunk.clear();
      }
   });
   if (!chunk.empty()) sink(chunk);
}

std::string Pop3Mailbox::delete_message(const std::string &ref, bool, CallContext &context) {
   Entry &entry = entry_for(ref, context);
   Reply reply = client_.command("DELE " + std::to_string(entry.number), context);
   if (reply.kind != Reply::Kind::ok)
      throw Failure(RPA_PROTOCOL_ERROR,
                    client_.server() + " refused to delete the message: " + printable(reply.text, 120));
   entry.deleted = true;
   return "marked the message for deletion; the POP3 server removes it when the session ends with "
          "Disconnect, or "
          "when the session opens a new connection to see mail that came later "
          "(a session that is lost first deletes nothing)";
}

}  // namespace email
