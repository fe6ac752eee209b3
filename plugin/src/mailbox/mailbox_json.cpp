#include "mailbox/mailbox_json.h"

#include <rapidjson/document.h>
#include <rpa_common/json.h>

#include <algorithm>
#include <cstring>

#include "util/failure.h"
#include "util/json_writer.h"
#include "util/text.h"

namespace email {

namespace {

[[noreturn]] void bad(const std::string &member, const std::string &why) {
   throw Failure(RPA_INVALID_PROPERTIES, "search query: " + (member.empty() ? why : member + " " + why));
}

CalendarDate parse_date(const std::string &member, const rapidjson::Value &value) {
   if (!value.IsString()) bad(member, "must be a date \"YYYY-MM-DD\"");
   const std::string text(value.GetString(), value.GetStringLength());
   CalendarDate date;
   const auto digits = [&](std::size_t from, std::size_t count) {
      return text.substr(from, count).find_first_not_of("0123456789") == std::string::npos;
   };
   if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4) || !digits(5, 2) ||
       !digits(8, 2))
      bad(member, "must be a date \"YYYY-MM-DD\", not \"" + printable(text, 40) + "\"");
   date.year = std::stoi(text.substr(0, 4));
   date.month = std::stoi(text.substr(5, 2));
   date.day = std::stoi(text.substr(8, 2));
   static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
   if (date.year < 1900 || date.month < 1 || date.month > 12 || date.day < 1 ||
       date.day > kDays[date.month - 1])
      bad(member, "is not a calendar date: \"" + text + "\"");
   return date;
}

void write_address(JsonWriter &json, const MailAddress &address) {
   json.begin_element().string("name", address.name).string("address", address.address).end_object();
}

void write_addresses(JsonWriter &json, const char *key, const std::vector<MailAddress> &addresses) {
   json.begin_array(key);
   for (const MailAddress &address : addresses) write_address(json, address);
   json.end_array();
}

// The longest string a summary's JSON holds (keys are shorter than any bound given here).
std::size_t longest_string(const std::vector<MessageSummary> &messages) {
   std::size_t longest = 64;
   const auto consider = [&](const std::string &text) { longest = std::max(longest, text.size()); };
   const auto consider_address = [&](const MailAddress &address) {
      consider(address.name);
      consider(address.address);
   };
   for (const MessageSummary &m : messages) {
      for (const std::string *text : {&m.ref, &m.folder, &m.subject, &m.date, &m.message_id}) consider(*text);
      if (m.from) consider_address(*m.from);
      for (const MailAddress &address : m.to) consider_address(address);
      for (const MailAddress &address : m.cc) consider_address(address);
      if (m.attachments)
         for (const AttachmentInfo &a : *m.attachments) {
            consider(a.name);
            consider(a.content_type);
         }
   }
   return longest;
}

void write_folder_members(JsonWriter &json, const FolderInfo &folder) {
   json.string("path", folder.path).string("name", folder.name);
   if (!folder.role.empty()) json.string("role", folder.role);
   json.boolean("selectable", folder.selectable);
}

}  // namespace

SearchQuery parse_search_query(const char *text) {
   SearchQuery query;
   if (!text || !*text) return query;
   rapidjson::Document document;
   const rpa::JsonParseResult parsed = rpa::parse_json(document, text, std::strlen(text));
   if (!parsed) bad("", "is not JSON (" + parsed.message() + ")");
   if (!document.IsObject()) bad("", "is not a JSON object");
   for (auto &member : document.GetObject()) {
      const std::string name(member.name.GetString(), member.name.GetStringLength());
      const rapidjson::Value &value = member.value;
      auto boolean = [&]() {
         if (!value.IsBool()) bad(name, "must be true or false");
         return value.GetBool();
      };
      // A cursor may hold a service's next-page link (Graph's @odata.nextLink): 8 KiB.
      auto string = [&](std::size_t max_size = 1000) {
         if (!value.IsString()) bad(name, "must be a string");
         std::string s(value.GetString(), value.GetStringLength());
         if (s.size() > max_size || s.find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
            bad(name, "must be one line of at most " + std::to_string(max_size) + " bytes");
         return s;
      };
      if (name == "seen")
         query.seen = boolean();
      else if (name == "flagged")
         query.flagged = boolean();
      else if (name == "has_attachments")
         query.has_attachments = boolean();
      else if (name == "since")
         query.since = parse_date(name, value);
      else if (name == "before")
         query.before = parse_date(name, value);
      else if (name == "from")
         query.from = string();
      else if (name == "to")
         query.to = string();
      else if (name == "subject")
         query.subject = string();
      else if (name == "cursor")
         query.cursor = string(8192);
      else if (name == "order") {
         const std::string order = string();
         if (order != "newest" && order != "oldest") bad(name, "must be \"newest\" or \"oldest\"");
         query.newest_first = order == "newest";
      } else if (name == "limit") {
         if (!value.IsUint() || value.GetUint() < 1 || value.GetUint() > 10000)
            bad(name, "must be a number from 1 to 10000");
         query.limit = value.GetUint();
      } else {
         bad(name,
             "is not a search member (seen, flagged, since, before, from, to, subject, "
             "has_attachments, order, limit, cursor)");
      }
   }
   return query;
}

std::string folders_json(const std::vector<FolderInfo> &folders) {
   JsonWriter json;
   json.begin_array("folders");
   for (const FolderInfo &folder : folders) {
      json.begin_element();
      write_folder_members(json, folder);
      json.end_object();
   }
   json.end_array();
   return json.finish();
}

std::string folder_json(const FolderInfo &folder) {
   JsonWriter json;
   write_folder_members(json, folder);
   return json.finish();
}

void write_summaries(JsonWriter &json, const std::vector<MessageSummary> &messages) {
   json.begin_array("messages");
   for (const MessageSummary &m : messages) {
      json.begin_element().string("ref", m.ref).string("folder", m.folder).string("subject", m.subject);
      if (m.from)
         json.begin_object("from")
             .string("name", m.from->name)
             .string("address", m.from->address)
             .end_object();
      else
         json.null("from");
      write_addresses(json, "to", m.to);
      write_addresses(json, "cc", m.cc);
      json.string_or_null("date", m.date).number("size", m.size);
      json.boolean("seen", m.seen).boolean("flagged", m.flagged).boolean("answered", m.answered);
      json.string_or_null("message_id", m.message_id);
      if (m.attachments) {
         json.begin_array("attachments");
         for (const AttachmentInfo &a : *m.attachments)
            json.begin_element()
                .number("index", a.index)
                .string("name", a.name)
                .number("size", a.size)
                .string("content_type", a.content_type)
                .end_object();
         json.end_array();
      } else {
         json.null("attachments");
      }
      json.end_object();
   }
   json.end_array();
}

void write_search_page(const SearchPage &page, const JsonPieceSink &sink) {
   std::size_t longest = longest_string(page.messages);
   longest = std::max(longest, page.next_cursor.size());
   JsonWriter json(sink, longest);
   write_summaries(json, page.messages);
   json.string_or_null("next_cursor", page.next_cursor);
   if (page.total)
      json.number("total", *page.total);
   else
      json.null("total");
   json.finish();
}

std::string arrivals_json(const Arrivals &arrivals) {
   JsonWriter json;
   write_summaries(json, arrivals.messages);
   json.string("cursor", arrivals.cursor).boolean("cursor_reset", arrivals.cursor_reset);
   return json.finish();
}

std::string attachment_json(const AttachmentInfo &attachment) {
   JsonWriter json;
   json.number("index", attachment.index)
       .string("name", attachment.name)
       .string("content_type", attachment.content_type)
       .number("size", attachment.size);
   return json.finish();
}

std::string bodies_json(const std::optional<std::string> &text, const std::optional<std::string> &html) {
   JsonWriter json;
   if (text)
      json.string("text", *text);
   else
      json.null("text");
   if (html)
      json.string("html", *html);
   else
      json.null("html");
   return json.finish();
}

}  // namespace email
