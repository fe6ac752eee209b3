#include "imap/imap_fetch.h"

#include <stdexcept>
#include <utility>

#include "imap/imap_response.h"
#include "mime/attachment_rule.h"
#include "mime/header_summary.h"
#include "util/text.h"

namespace email::imap {

namespace {

// Parameters of a body ("name" "value" ...) decoded into `decoder`.
void add_parameters(const Value &list, mime::ParameterDecoder &decoder) {
   for (std::size_t i = 0; i + 1 < list.items.size(); i += 2)
      if (list.items[i].is_text() && list.items[i + 1].is_text())
         decoder.add(list.items[i].str(), list.items[i + 1].str());
}

// `section`: the body's section number (RFC 9051 6.4.5: "2", "1.3"); a message that is not
// multipart is section "1".
void walk(const Value &body, std::vector<AttachmentPart> &out, int depth, const std::string &section) {
   if (!body.is_list() || body.items.empty() || depth > 40) return;
   if (body.items.front().is_list()) {  // multipart: bodies, then the subtype
      for (std::size_t i = 0; i < body.items.size(); ++i) {
         if (!body.items[i].is_list()) break;
         const std::string number = std::to_string(i + 1);
         walk(body.items[i], out, depth + 1, depth == 0 ? number : section + "." + number);
      }
      return;
   }
   const std::string type = to_lower_ascii(body.at(0).str());
   const std::string subtype = to_lower_ascii(body.at(1).str());
   // Extension data follows the fields every body has: md5 at 7, or after the line count of a
   // text body (8) or after the envelope, body and line count of an attached message (10).
   const bool message = mime::is_attached_message(type, subtype);
   const std::size_t md5 = message ? 10 : type == "text" ? 8 : 7;
   const Value &disposition = body.at(md5 + 1);
   mime::ParameterDecoder from_disposition, from_type;
   add_parameters(disposition.at(1), from_disposition);
   add_parameters(body.at(2), from_type);
   std::string name = from_disposition.get("filename");
   if (name.empty()) name = from_type.get("name");
   const std::string disposition_type = disposition.at(0).str();
   if (!mime::is_attachment(disposition_type, name, type, subtype)) return;
   if (name.empty() && message) {
      const mime::HeaderSummary inner =
          mime::summarize_headers("Subject: " + body.at(7).at(1).str() + "\r\n");  // envelope subject
      name = (inner.subject.empty() ? std::string("message") : inner.subject) + ".eml";
   }
   AttachmentPart part;
   part.info.index = static_cast<unsigned>(out.size());
   part.info.name = name;
   part.info.content_type = type + "/" + subtype;
   part.info.size = mime::decoded_size_estimate(body.at(6).number(), body.at(5).str());
   part.section = depth == 0 ? "1" : section;
   part.encoding = to_lower_ascii(body.at(5).str());
   part.attached_message = message;
   out.push_back(std::move(part));
}

// True, with the BODYSTRUCTURE read, when it is one part that is plainly no attachment by the
// rule of mime/attachment_rule.h: not an attached message, no "name" parameter, no disposition
// (most messages), so no tree is built for it. False where the tree must decide; the caller
// rewinds the reader.
bool plainly_no_attachment(ValueReader &reader) {
   if (!reader.open_list() || reader.list_next()) return false;  // not a body, or multipart
   std::string type, subtype;
   std::size_t disposition = 0;  // its position once the type is known
   for (std::size_t i = 0; !reader.close_list(); ++i) {
      if (i < 2) {
         if (reader.list_next()) return false;
         reader.text(i == 0 ? type : subtype);
         if (i == 1) {
            type = to_lower_ascii(type);
            subtype = to_lower_ascii(subtype);
            if (mime::is_attached_message(type, subtype)) return false;
            disposition = type == "text" ? 9 : 8;  // after md5, as walk() counts
         }
      } else if (i == 2 && reader.open_list()) {  // the parameters: any "name" (or "name*...")
         while (!reader.close_list()) {
            const std::string_view name = reader.name();
            if (iequals(name.substr(0, name.find('*')), "name")) return false;
            if (reader.close_list()) break;
            reader.skip();
         }
      } else if (i == disposition && !reader.nil_next()) {
         return false;
      } else {
         reader.skip();
      }
   }
   return disposition != 0;  // false for a list of fewer than two items
}

}  // namespace

bool FetchedItems::has_flag(std::string_view flag) const {
   for (const std::string &f : flags)
      if (iequals(f, flag)) return true;
   return false;
}

std::vector<AttachmentPart> attachment_parts_of(const Value &body_structure) {
   std::vector<AttachmentPart> out;
   walk(body_structure, out, 0, "");
   return out;
}

std::vector<AttachmentInfo> attachments_of(const Value &body_structure) {
   std::vector<AttachmentInfo> out;
   for (AttachmentPart &part : attachment_parts_of(body_structure)) out.push_back(std::move(part.info));
   return out;
}

FetchedItems parse_fetch(std::string_view data, bool with_sections) {
   // Read item by item: the header's bytes are copied once, and items no summary needs are
   // skipped unbuilt.
   ValueReader reader(data);
   if (!reader.open_list()) throw std::invalid_argument("FETCH data is not one list");
   FetchedItems fetched;
   while (!reader.close_list()) {
      const std::string_view name = reader.name();
      if (reader.close_list()) break;  // a name without a value: ignored
      if (iequals(name, "UID")) {
         fetched.uid = reader.value().number();
      } else if (iequals(name, "FLAGS")) {
         if (!reader.open_list()) {
            reader.skip();
            continue;
         }
         std::string flag;
         while (!reader.close_list())
            if (reader.text(flag)) fetched.flags.push_back(std::exchange(flag, std::string()));
      } else if (iequals(name, "RFC822.SIZE")) {
         fetched.size = reader.value().number();
      } else if (iequals(name, "BODYSTRUCTURE")) {
         const ValueReader::Mark body = reader.mark();
         if (plainly_no_attachment(reader)) {
            fetched.attachments.emplace();
            continue;
         }
         reader.rewind(body);
         std::vector<AttachmentPart> parts = attachment_parts_of(reader.value());
         fetched.attachments.emplace();
         fetched.attachments->reserve(parts.size());
         for (const AttachmentPart &part : parts) fetched.attachments->push_back(part.info);
         if (with_sections) fetched.attachment_parts = std::move(parts);
      } else if (iequals(name.substr(0, 11), "BODY[HEADER") || iequals(name, "RFC822.HEADER")) {
         fetched.header.emplace();
         (void)reader.text(*fetched.header);  // NIL or a list leaves it empty
      } else {
         reader.skip();
      }
   }
   if (!reader.at_end()) throw std::invalid_argument("FETCH data is not one list");
   return fetched;
}

std::string uid_set(const std::vector<std::uint64_t> &uids) {
   std::string set;
   for (std::size_t i = 0; i < uids.size();) {
      std::size_t j = i;
      while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1) ++j;
      if (!set.empty()) set += ',';
      set += std::to_string(uids[i]);
      if (j > i) set += ':' + std::to_string(uids[j]);
      i = j + 1;
   }
   return set;
}

std::vector<std::uint64_t> parse_search(std::string_view data) {
   std::vector<std::uint64_t> uids;
   for (const std::string &word : split_atoms(data)) {
      if (word.size() > 19 || word.find_first_not_of("0123456789") != std::string::npos) continue;
      const std::uint64_t uid = std::stoull(word);
      if (uid > 0) uids.push_back(uid);
   }
   return uids;
}

namespace {
// "304,319:320" to the UIDs it names, in order (at most 100,000).
bool expand_set(std::string_view text, std::vector<std::uint64_t> &out) {
   std::size_t start = 0;
   while (start < text.size()) {
      std::size_t comma = text.find(',', start);
      if (comma == std::string_view::npos) comma = text.size();
      std::string_view range = text.substr(start, comma - start);
      const std::size_t colon = range.find(':');
      auto number = [](std::string_view digits, std::uint64_t &value) {
         if (digits.empty() || digits.size() > 19 ||
             digits.find_first_not_of("0123456789") != std::string_view::npos)
            return false;
         value = std::stoull(std::string(digits));
         return value > 0;
      };
      std::uint64_t first = 0, last = 0;
      if (!number(range.substr(0, colon), first)) return false;
      if (colon == std::string_view::npos) {
         last = first;
      } else if (!number(range.substr(colon + 1), last)) {
         return false;
      }
      if (last < first) std::swap(first, last);
      if (last - first > 100000 || out.size() + (last - first) > 100000) return false;
      for (std::uint64_t uid = first; uid <= last; ++uid) out.push_back(uid);
      start = comma + 1;
   }
   return !out.empty();
}
}  // namespace

std::optional<UidPlusCode> parse_uidplus_code(std::string_view code) {
   std::vector<std::string> words = split_atoms(code);  // from imap_response.h
   UidPlusCode parsed;
   auto validity = [&](const std::string &word) {
      if (word.empty() || word.size() > 10 || word.find_first_not_of("0123456789") != std::string::npos)
         return false;
      parsed.uidvalidity = std::stoull(word);
      return true;
   };
   if (words.size() == 4 && iequals(words[0], "COPYUID")) {
      if (!validity(words[1]) || !expand_set(words[2], parsed.source) ||
          !expand_set(words[3], parsed.destination))
         return std::nullopt;
      return parsed;
   }
   if (words.size() == 3 && iequals(words[0], "APPENDUID")) {
      if (!validity(words[1]) || !expand_set(words[2], parsed.destination)) return std::nullopt;
      return parsed;
   }
   return std::nullopt;
}

std::string search_date(const CalendarDate &date) {
   static const char *const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
   const int month = date.month >= 1 && date.month <= 12 ? date.month : 1;
   return std::to_string(date.day) + "-" + kMonths[month - 1] + "-" + std::to_string(date.year);
}

}  // namespace email::imap
