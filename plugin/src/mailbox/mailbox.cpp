#include "mailbox/mailbox.h"

#include <cstdio>

#include "mailbox/folder_roles.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

bool contains_ignoring_case(const std::string &haystack, const std::string &needle) {
   return to_lower_ascii(haystack).find(to_lower_ascii(needle)) != std::string::npos;
}

namespace {
bool any_address_contains(const std::vector<MailAddress> &addresses, const std::string &needle) {
   for (const MailAddress &a : addresses)
      if (contains_ignoring_case(a.name + " <" + a.address + ">", needle)) return true;
   return false;
}
}  // namespace

bool matches_sender_and_recipients(const SearchQuery &query, const std::optional<MailAddress> &from,
                                   const std::vector<MailAddress> &to) {
   if (!query.from.empty() && !(from && any_address_contains({*from}, query.from))) return false;
   return query.to.empty() || any_address_contains(to, query.to);
}

bool summary_matches(const SearchQuery &query, const MessageSummary &message, bool has_attachments) {
   if (query.seen && message.seen != *query.seen) return false;
   if (query.flagged && message.flagged != *query.flagged) return false;
   if (query.has_attachments && has_attachments != *query.has_attachments) return false;
   if (query.since && !(message.date >= utc_midnight(*query.since))) return false;
   if (query.before && !(message.date < utc_midnight(*query.before))) return false;
   if (!query.subject.empty() && !contains_ignoring_case(message.subject, query.subject)) return false;
   return matches_sender_and_recipients(query, message.from, message.to);
}

std::string utc_midnight(const CalendarDate &date) {
   char text[32];
   std::snprintf(text, sizeof text, "%04d-%02d-%02dT00:00:00Z", date.year, date.month, date.day);
   return text;
}

const FolderInfo *Mailbox::match_folder(const std::vector<FolderInfo> &all, const std::string &folder) {
   const std::string_view path = without_trailing_slashes(folder);
   if (is_role_name(path))
      for (const FolderInfo &candidate : all)
         if (candidate.role == path) return &candidate;
   for (const FolderInfo &candidate : all)
      if (candidate.path == path) return &candidate;
   // INBOX is case-insensitive, also as the first level of a path (RFC 9051 section 5.1).
   const std::size_t slash = path.find('/');
   if (iequals(path.substr(0, slash), "INBOX")) {
      const std::string normal =
          "INBOX" + std::string(slash == std::string_view::npos ? "" : path.substr(slash));
      for (const FolderInfo &candidate : all)
         if (candidate.path == normal) return &candidate;
   }
   return nullptr;
}

FolderInfo folder_at(const std::string &id, const std::string &path, bool has_children) {
   FolderInfo info;
   info.wire_name = id;
   info.path = info.listed_name = path;
   const std::size_t slash = path.rfind('/');
   info.name = slash == std::string::npos ? path : path.substr(slash + 1);
   info.delimiter = "/";
   info.attributes = {has_children ? "\\HasChildren" : "\\HasNoChildren"};
   return info;
}

void Mailbox::require(bool able, const char *what) const {
   if (able) return;
   const MailboxCapabilities can = capabilities();
   throw Failure(RPA_UNSUPPORTED, std::string(*can.who ? can.who : "this mailbox") + " cannot " + what +
                                      (*can.limits ? std::string(": ") + can.limits : std::string()));
}

void Mailbox::require_filters(const SearchQuery &query) const {
   const MailboxCapabilities can = capabilities();
   require(can.flags || (!query.seen && !query.flagged), "search by seen or flagged");
   require(can.attachment_search || !query.has_attachments,
           "tell which messages have attachments without downloading each");
}

void Mailbox::set_flags(const std::string &, FlagChange, FlagChange, CallContext &) {
   require(false, "set flags");
}
void Mailbox::mark_answered(const std::string &, Answered, CallContext &) {
   require(false, "mark messages answered");
}
std::string Mailbox::move(const std::string &, const std::string &, CallContext &) {
   require(false, "move messages");
   return {};
}
std::string Mailbox::copy(const std::string &, const std::string &, CallContext &) {
   require(false, "copy messages");
   return {};
}
Appended Mailbox::append(const std::string &, std::string_view, CallContext &) {
   require(false, "store messages");
   return {};
}

Appended Mailbox::append_streamed(const std::string &folder, std::uint64_t size, const MessageReader &read,
                                  CallContext &context) {
   std::string message(static_cast<std::size_t>(size), '\0');
   std::size_t have = 0;
   while (have < message.size()) {
      const std::size_t got = read(message.data() + have, message.size() - have);
      if (got == 0) break;
      have += got;
   }
   message.resize(have);
   return append(folder, message, context);
}

Arrivals Mailbox::arrivals(const std::string &, const std::string &, const SearchQuery &, CallContext &) {
   throw Failure(RPA_UNSUPPORTED,
                 "waiting for new mail is not built for this connection type yet (IMAP, POP3, "
                 "EWS and Microsoft 365 have it; Outlook to come)");
}

bool Mailbox::wait_for_change(const std::string &, std::chrono::milliseconds wait,
                              std::chrono::milliseconds poll, const std::function<bool()> &stop,
                              CallContext &context) {
   return sleep_until_next_look(std::min(wait, poll), stop, context);
}

std::unique_ptr<ChangeListener> Mailbox::listen(const std::string &, std::chrono::milliseconds,
                                                std::chrono::milliseconds, CallContext &) {
   return nullptr;
}

bool Mailbox::sleep_until_next_look(std::chrono::milliseconds wait, const std::function<bool()> &stop,
                                    CallContext &context) {
   const auto until = std::chrono::steady_clock::now() + wait;
   for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return true;
      if (stop()) return false;
      context.idle_sleep(left, "the next look for new mail");
   }
}

FolderInfo Mailbox::find_folder(const std::string &folder, CallContext &context) {
   std::vector<FolderInfo> all = folders(context);
   if (const FolderInfo *found = match_folder(all, folder)) return *found;
   throw Failure(RPA_FOLDER_NOT_FOUND,
                 "there is no folder \"" + printable(folder, 200) + "\"" +
                     (is_role_name(folder) ? " (no folder has that role, and no folder has that path)" : ""));
}

}  // namespace email
