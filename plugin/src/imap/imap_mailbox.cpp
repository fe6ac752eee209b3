#include "imap/imap_mailbox.h"

#include <algorithm>
#include <charconv>

#include "imap/imap_client.h"
#include "imap/imap_fetch.h"
#include "mailbox/folder_roles.h"
#include "mime/header_summary.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

using imap::Response;

namespace {

constexpr const char *kSummaryItems =
    "(UID FLAGS RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (DATE FROM TO CC SUBJECT MESSAGE-ID)])";
constexpr std::size_t kFetchBatch = 1000;  // UIDs per UID FETCH when a filter drops messages

std::string join_path(const std::string &name, const std::string &delimiter) {
   if (delimiter.empty() || delimiter == "/") return name;
   std::string path;
   for (std::size_t start = 0;;) {
      const std::size_t at = name.find(delimiter, start);
      path += name.substr(start, at == std::string::npos ? std::string::npos : at - start);
      if (at == std::string::npos) return path;
      path += '/';
      start = at + delimiter.size();
   }
}

// A search string: quoted when it is plain ASCII, else a LITERAL+ literal (UTF-8, CHARSET said).
std::string search_string(const std::string &value, bool literal_plus, bool &needs_utf8) {
   if (imap::string_form(value) == imap::StringForm::quoted) {
      SecretString quoted;
      imap::append_quoted(quoted, value);
      return std::string(quoted.view());
   }
   if (!literal_plus)
      throw Failure(RPA_UNSUPPORTED,
                    "this IMAP server cannot take non-ASCII search text (it offers no LITERAL+)");
   needs_utf8 = true;
   return "{" + std::to_string(value.size()) + "+}\r\n" + value;
}

}  // namespace

namespace {
// A FETCH answer, summarized as it arrives (its header block is let go at once, so a page of
// any size never holds its headers all at one time).
struct FetchedSummary {
   std::uint64_t uid = 0;
   bool has_header = false;  // false: an unsolicited FETCH of flags (RFC 9051 7.5.2)
   MessageSummary summary;   // all but ref and folder
};

FetchedSummary summarize(imap::FetchedItems &&items) {
   FetchedSummary fetched;
   fetched.uid = items.uid;
   fetched.has_header = items.header.has_value();
   MessageSummary &summary = fetched.summary;
   mime::HeaderSummary header = mime::summarize_headers(items.header.value_or(""));
   summary.subject = std::move(header.subject);
   summary.from = std::move(header.from);
   summary.to = std::move(header.to);
   summary.cc = std::move(header.cc);
   summary.date = std::move(header.date);
   summary.message_id = std::move(header.message_id);
   summary.size = items.size.value_or(0);
   summary.seen = items.has_flag("\\Seen");
   summary.flagged = items.has_flag("\\Flagged");
   summary.answered = items.has_flag("\\Answered");
   summary.attachments = std::move(items.attachments).value_or(std::vector<AttachmentInfo>{});
   return fetched;
}

// FETCH answers ordered by UID, looked up by a UID.
struct ByUid {
   bool operator()(const FetchedSummary &a, std::uint64_t b) const { return a.uid < b; }
   bool operator()(std::uint64_t a, const FetchedSummary &b) const { return a < b.uid; }
};
}  // namespace

std::string ImapMailbox::make_ref(const Ref &ref) {
   // One allocation (a listing makes one per message): "imap:" UIDVALIDITY ":" UID ":" folder.
   char numbers[48];
   char *end = std::to_chars(numbers, numbers + 20, ref.uidvalidity).ptr;
   *end++ = ':';
   end = std::to_chars(end, end + 20, ref.uid).ptr;
   *end++ = ':';
   std::string text;
   text.reserve(5 + static_cast<std::size_t>(end - numbers) + ref.wire_name.size());
   text.append("imap:").append(numbers, end).append(ref.wire_name);
   return text;
}

ImapMailbox::Ref ImapMailbox::parse_ref(const std::string &text) {
   auto bad = [&] {
      return Failure(RPA_INVALID_PROPERTIES,
                     "\"" + printable(text, 80) + "\" is not a message reference from an IMAP session");
   };
   if (text.rfind("imap:", 0) != 0) throw bad();
   const std::size_t first = 5, second = text.find(':', first);
   const std::size_t third = second == std::string::npos ? second : text.find(':', second + 1);
   if (third == std::string::npos) throw bad();
   auto number = [&](std::size_t from, std::size_t to) {
      const std::string digits = text.substr(from, to - from);
      if (digits.empty() || digits.size() > 10 || digits.find_first_not_of("0123456789") != std::string::npos)
         throw bad();
      return std::stoull(digits);
   };
   Ref ref;
   ref.uidvalidity = number(first, second);
   ref.uid = number(second + 1, third);
   ref.wire_name = text.substr(third + 1);
   if (ref.uid == 0 || ref.wire_name.empty()) throw bad();
   return ref;
}

std::string ImapMailbox::mailbox_argument(const std::string &wire_name) const {
   if (imap::string_form(wire_name) == imap::StringForm::quoted) {
      SecretString quoted;
      imap::append_quoted(quoted, wire_name);
      return std::string(quoted.view());
   }
   if (!client_.has_capability("LITERAL+"))
      throw Failure(RPA_UNSUPPORTED, "this IMAP server cannot take the folder name \"" +
                                         printable(wire_name, 80) + "\" (it offers no LITERAL+)");
   return "{" + std::to_string(wire_name.size()) + "+}\r\n" + wire_name;
}

std::vector<FolderInfo> ImapMailbox::list_folders(CallContext &context) {
   const bool xlist = !client_.has_capability("SPECIAL-USE") && client_.has_capability("XLIST");
   const char *command = client_.has_capability("SPECIAL-USE") ? "LIST \"\" \"*\" RETURN (SPECIAL-USE)"
                         : xlist                               ? "XLIST \"\" \"*\""
                                                               : "LIST \"\" \"*\"";
   std::vector<FolderInfo> found;
   Response tagged = client_.run_with(command, context, [&](const Response &response) {
      if (response.keyword != "LIST" && response.keyword != "XLIST") return;
      try {
         imap::ListEntry entry = imap::parse_list_data(response.text);
         FolderInfo folder;
         folder.wire_name = entry.wire_name;
         folder.listed_name = entry.name;
         folder.delimiter = entry.delimiter;
         folder.attributes = entry.attributes;
         folder.path = join_path(entry.name, entry.delimiter);
         const std::size_t slash = folder.path.rfind('/');
         folder.name = slash == std::string::npos ? folder.path : folder.path.substr(slash + 1);
         folder.role = role_from_attributes(entry.attributes);
         for (const std::string &attribute : entry.attributes)
            if (iequals(attribute, "\\Noselect") || iequals(attribute, "\\NonExistent"))
               folder.selectable = false;
         // XLIST names the inbox in the user's language; its path is INBOX all the same.
         if (folder.role == "inbox") folder.path = folder.name = folder.listed_name = "INBOX";
         found.push_back(std::move(folder));
      } catch (const std::exception &) {
         context.host().warning("IMAP: skipped a LIST line that could not be read: " +
                                printable(response.text, 120));
      }
   });
   if (tagged.keyword != "OK") refused("list the folders", tagged);
   return found;
}

FolderInfo ImapMailbox::find_folder(const std::string &folder, CallContext &context) {
   if (!listed() && iequals(folder, "inbox")) {  // every server has it: no LIST needed
      FolderInfo inbox;
      inbox.path = inbox.name = inbox.wire_name = inbox.listed_name = "INBOX";
      inbox.role = "inbox";
      return inbox;
   }
   return CachedFolderMailbox::find_folder(folder, context);
}

std::string ImapMailbox::path_of(const std::string &wire_name, CallContext &context) {
   for (const FolderInfo &folder : folders(context))
      if (folder.wire_name == wire_name) return folder.path;
   return imap::decode_modified_utf7(wire_name);
}

std::uint64_t ImapMailbox::select(const std::string &wire_name, CallContext &context) {
   return client_.select(wire_name, mailbox_argument(wire_name), context).uidvalidity;
}

void ImapMailbox::select_ref(const Ref &ref, CallContext &context) {
   std::uint64_t uidvalidity = 0;
   try {
      uidvalidity = select(ref.wire_name, context);
   } catch (const Failure &failure) {
      if (failure.status() != RPA_FOLDER_NOT_FOUND) throw;
      throw Failure(RPA_MESSAGE_NOT_FOUND, std::string("the message's folder is gone: ") + failure.what());
   }
   if (uidvalidity != ref.uidvalidity)
      throw Failure(RPA_MESSAGE_NOT_FOUND,
                    "the folder \"" + path_of(ref.wire_name, context) +
                        "\" was rebuilt since the reference was made (its UIDVALIDITY changed from " +
                        std::to_string(ref.uidvalidity) + " to " + std::to_string(uidvalidity) +
                        "), so the reference names no message any more; search again");
}

void ImapMailbox::not_found(const Ref &ref, CallContext &context) {
   throw Failure(RPA_MESSAGE_NOT_FOUND, "the folder \"" + path_of(ref.wire_name, context) +
                                            "\" has no message with UID " + std::to_string(ref.uid) +
                                            " (moved or deleted since it was listed?)");
}

void ImapMailbox::refused(const char *what, const Response &tagged) const {
   throw Failure(RPA_PROTOCOL_ERROR, client_.server() + " refused to " + what + ": " + tagged.said(200));
}

SearchPage ImapMailbox::search(const std::string &folder, const SearchQuery &query, CallContext &context) {
   return search(folder, query, false, context);
}

SearchPage ImapMailbox::search(const std::string &folder, const SearchQuery &query, bool only_after_cursor,
                               CallContext &context) {
   const FolderInfo where = find_folder(folder, context);
   if (!where.selectable)
      throw Failure(RPA_FOLDER_NOT_FOUND, "\"" + where.path + "\" holds only other folders, no messages");

   // Cursor "<UIDVALIDITY>:<last UID examined>"; its UIDVALIDITY is checked once SELECT says the
   // folder's.
   std::uint64_t after = 0, cursor_validity = 0;
   if (!query.cursor.empty()) {
      const std::size_t colon = query.cursor.find(':');
      const std::string validity = query.cursor.substr(0, colon);
      const std::string last = colon == std::string::npos ? "" : query.cursor.substr(colon + 1);
      auto digits = [](const std::string &s) {
         return !s.empty() && s.size() <= 10 && s.find_first_not_of("0123456789") == std::string::npos;
      };
      if (!digits(validity) || !digits(last))
         throw Failure(RPA_INVALID_PROPERTIES, "cursor: not a cursor from an IMAP search");
      cursor_validity = std::stoull(validity);
      after = std::stoull(last);
   }

   const bool literal_plus = client_.has_capability("LITERAL+");
   bool utf8 = false;
   std::string criteria;
   auto add = [&](const std::string &item) { criteria += (criteria.empty() ? "" : " ") + item; };
   if (query.seen) add(*query.seen ? "SEEN" : "UNSEEN");
   if (query.flagged) add(*query.flagged ? "FLAGGED" : "UNFLAGGED");
   if (query.since) add("SENTSINCE " + imap::search_date(*query.since));
   if (query.before) add("SENTBEFORE " + imap::search_date(*query.before));
   if (!query.from.empty()) add("FROM " + search_string(query.from, literal_plus, utf8));
   if (!query.to.empty()) add("TO " + search_string(query.to, literal_plus, utf8));
   if (!query.subject.empty()) add("SUBJECT " + search_string(query.subject, literal_plus, utf8));
   if (only_after_cursor && after) add("UID " + std::to_string(after + 1) + ":*");
   if (criteria.empty()) criteria = "ALL";

   // SELECT and UID SEARCH in one flight (the criteria hold no synchronising literal).
   std::vector<std::uint64_t> uids;
   const ImapClient::SelectedAnswer searched =
       client_.select_then_run(where.wire_name, mailbox_argument(where.wire_name),
                               std::string("UID SEARCH ") + (utf8 ? "CHARSET UTF-8 " : "") + criteria,
                               context, [&](const Response &r) {
                                  if (r.keyword != "SEARCH") return;
                                  for (std::uint64_t uid : imap::parse_search(r.text)) uids.push_back(uid);
                               });
   const std::uint64_t uidvalidity = searched.uidvalidity;
   if (!query.cursor.empty() && cursor_validity != uidvalidity)
      throw Failure(
          RPA_INVALID_PROPERTIES,
          "cursor: the folder was rebuilt since that page (UIDVALIDITY changed); search again without it");
   if (searched.tagged.keyword != "OK") refused("search", searched.tagged);
   std::sort(uids.begin(), uids.end());
   uids.erase(std::unique(uids.begin(), uids.end()), uids.end());

   SearchPage page;
   page.total = uids.size();
   page.messages.reserve(std::min<std::size_t>(query.limit, uids.size()));
   if (query.newest_first) std::reverse(uids.begin(), uids.end());
   if (after) {
      auto beyond = [&](std::uint64_t uid) { return query.newest_first ? uid < after : uid > after; };
      uids.erase(uids.begin(), std::find_if(uids.begin(), uids.end(), beyond));
   }

   const std::string path = where.path;
   std::size_t next = 0;
   std::uint64_t last_examined = 0;
   while (page.messages.size() < query.limit && next < uids.size()) {
      const std::size_t want = query.limit - page.messages.size();
      const std::size_t batch =
          std::min(uids.size() - next, query.has_attachments ? std::max(want, kFetchBatch) : want);
      std::vector<std::uint64_t> chunk(uids.begin() + next, uids.begin() + next + batch);
      std::vector<std::uint64_t> sorted = chunk;
      std::sort(sorted.begin(), sorted.end());
      std::vector<FetchedSummary> fetched;  // in the order they came; sorted by UID below
      fetched.reserve(batch);
      Response answer = client_.run_with(
          "UID FETCH " + imap::uid_set(sorted) + " " + kSummaryItems, context, [&](const Response &r) {
             if (r.keyword != "FETCH") return;
             try {
                imap::FetchedItems items = imap::parse_fetch(r.text);
                if (items.uid) fetched.push_back(summarize(std::move(items)));
             } catch (const std::exception &) {
                context.host().warning("IMAP: skipped a FETCH response that could not be read: " +
                                       printable(r.text, 120));
             }
          });
      if (answer.keyword != "OK") refused("fetch the message summaries", answer);
      const auto by_uid = [](const FetchedSummary &a, const FetchedSummary &b) { return a.uid < b.uid; };
      if (!std::is_sorted(fetched.begin(), fetched.end(), by_uid))  // servers answer in UID order, mostly
         std::stable_sort(fetched.begin(), fetched.end(), by_uid);
      for (std::uint64_t uid : chunk) {
         ++next;
         last_examined = uid;
         const auto [first, last] = std::equal_range(fetched.begin(), fetched.end(), uid, ByUid{});
         if (first == last) continue;  // expunged in between
         // A UID answered twice (an unsolicited FETCH of its flags among ours): the one with the header.
         const auto with_header =
             std::find_if(first, last, [](const FetchedSummary &one) { return one.has_header; });
         MessageSummary &summary =
             (with_header != last ? *with_header : *(last - 1)).summary;  // else the latest
         const bool has_attachments = !summary.attachments->empty();
         if (query.has_attachments && *query.has_attachments != has_attachments) continue;
         summary.ref = make_ref({uidvalidity, uid, where.wire_name});
         summary.folder = path;
         page.messages.push_back(std::move(summary));
         if (page.messages.size() >= query.limit) break;
      }
   }
   if (next < uids.size())
      page.next_cursor = std::to_string(uidvalidity) + ":" + std::to_string(last_examined);
   return page;
}

void ImapMailbox::fetch_raw(const std::string &text, const ByteSink &sink, CallContext &context) {
   const Ref ref = parse_ref(text);
   select_ref(ref, context);
   bool found = false;
   Response tagged = client_.run_streaming("UID FETCH " + std::to_string(ref.uid) + " (UID BODY.PEEK[])",
                                           context, fetch_of(ref, found), sink);
   if (tagged.keyword != "OK") refused("send the message", tagged);
   if (!found) not_found(ref, context);
}

}  // namespace email
