#include "mime/header_summary.h"

#include "mime/gmime_runtime.h"
#include "mime/plain_addresses.h"
#include "mime/plain_date.h"
#include "mime/plain_text.h"

#include <algorithm>

#include "util/text.h"

namespace email::mime {

namespace {

std::string valid_utf8_or_empty(const char *text) {
   if (!text) return "";
   return g_utf8_validate(text, -1, nullptr) ? std::string(text) : std::string();
}

void set_date(HeaderSummary &summary, GDateTime *date) {
   // RFC 3339 in the header's own offset. (Not g_date_time_format: it keeps a locale cache in
   // thread-local storage on the host's threads, and a date has no locale.)
   summary.date =
       rfc3339(g_date_time_get_year(date), g_date_time_get_month(date), g_date_time_get_day_of_month(date),
               g_date_time_get_hour(date), g_date_time_get_minute(date), g_date_time_get_second(date),
               static_cast<long>(g_date_time_get_utc_offset(date) / G_TIME_SPAN_MINUTE));
   summary.day = CalendarDate{g_date_time_get_year(date), g_date_time_get_month(date),
                              g_date_time_get_day_of_month(date)};
}

}  // namespace

void add_addresses(InternetAddressList *list, std::vector<MailAddress> &out) {
   if (!list) return;
   const int count = internet_address_list_length(list);
   for (int i = 0; i < count && out.size() < 1000; ++i) {
      InternetAddress *address = internet_address_list_get_address(list, i);
      if (INTERNET_ADDRESS_IS_GROUP(address)) {
         add_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out);
         continue;
      }
      if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
      const char *name = internet_address_get_name(address);
      const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
      out.push_back({name ? name : "", addr ? addr : ""});
   }
}

HeaderSummary summarize_message(GMimeMessage *message) {
   HeaderSummary summary;
   if (!message) return summary;
   summary.subject = valid_utf8_or_empty(g_mime_message_get_subject(message));
   std::vector<MailAddress> from;
   add_addresses(g_mime_message_get_from(message), from);
   if (!from.empty()) summary.from = from.front();
   add_addresses(g_mime_message_get_to(message), summary.to);
   add_addresses(g_mime_message_get_cc(message), summary.cc);
   if (GDateTime *date = g_mime_message_get_date(message)) set_date(summary, date);
   if (const char *id = g_mime_message_get_message_id(message))
      summary.message_id = std::string("<") + id + ">";
   return summary;
}

namespace {

// One field's unfolded value: a view into the header block, or into `unfolded` when the field
// ran over several lines (the rare case that needs a copy).
struct FieldValue {
   std::optional<std::string_view> value;  // nullopt when the field is absent
   std::string unfolded;
   // The value as a C string for GMime.
   std::string c_string() const { return std::string(value.value_or(std::string_view())); }
};

// The values of the first Subject, From, To, Cc, Date and Message-ID fields (RFC 5322 section
// 2.2.3), found in one pass over the header block.
struct SummaryFields {
   FieldValue subject, from, to, cc, date, message_id;

   FieldValue *slot(std::string_view name) {
      switch (name.size()) {
      case 2: return iequals(name, "To") ? &to : iequals(name, "Cc") ? &cc : nullptr;
      case 4: return iequals(name, "From") ? &from : iequals(name, "Date") ? &date : nullptr;
      case 7: return iequals(name, "Subject") ? &subject : nullptr;
      case 10: return iequals(name, "Message-ID") ? &message_id : nullptr;
      default: return nullptr;
      }
   }
};

// `block` must outlive the fields' views.
SummaryFields summary_fields(std::string_view block) {
   SummaryFields fields;
   std::size_t at = 0;
   while (at < block.size()) {
      std::size_t end = block.find('\n', at);
      if (end == std::string_view::npos) end = block.size();
      std::string_view line = block.substr(at, end - at);
      at = end + 1;
      if (line.empty() || line == "\r") break;  // the end of the header
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      FieldValue *slot = fields.slot(line.substr(0, colon));
      if (!slot || slot->value) continue;  // not one of ours, or not its first
      std::string_view value = line.substr(colon + 1);
      const bool folded = at < block.size() && (block[at] == ' ' || block[at] == '\t');
      if (!value.empty() && value.back() == '\r') value.remove_suffix(1);
      if (!folded && value.find('\r') == std::string_view::npos) {
         slot->value = value;
         continue;
      }
      std::string &unfolded = slot->unfolded;
      unfolded.assign(value);
      while (at < block.size() && (block[at] == ' ' || block[at] == '\t')) {  // folded lines
         end = block.find('\n', at);
         if (end == std::string_view::npos) end = block.size();
         unfolded += block.substr(at, end - at);
         at = end + 1;
      }
      unfolded.erase(std::remove(unfolded.begin(), unfolded.end(), '\r'), unfolded.end());
      slot->value = unfolded;
   }
   return fields;
}

void add_address_field(const FieldValue &field, std::vector<MailAddress> &out) {
   if (!field.value || read_plain_addresses(*field.value, out)) return;  // mime/plain_addresses.h
   InternetAddressList *list = internet_address_list_parse(parser_options(), field.c_string().c_str());
   if (!list) return;
   add_addresses(list, out);
   g_object_unref(list);
}

}  // namespace

HeaderSummary summarize_headers(std::string_view header_block) {
   // The fields are cut out here (RFC 5322 syntax, no MIME) and decoded by GMime's header
   // utilities: a full parse per summary costs several times more.
   GMimeParserOptions *options = parser_options();
   HeaderSummary summary;
   const SummaryFields fields = summary_fields(header_block);
   if (const auto &subject = fields.subject.value) {
      if (auto plain = read_plain_subject(*subject)) {  // mime/plain_text.h
         summary.subject = std::move(*plain);
      } else {
         gchar *decoded = g_mime_utils_header_decode_text(options, fields.subject.c_string().c_str());
         summary.subject = valid_utf8_or_empty(decoded);
         g_free(decoded);
         const std::size_t first = summary.subject.find_first_not_of(" \t");
         summary.subject.erase(0, first == std::string::npos ? summary.subject.size() : first);
      }
   }
   // From is read into the (still empty) To list, whose storage To then reuses.
   add_address_field(fields.from, summary.to);
   if (!summary.to.empty()) summary.from = std::move(summary.to.front());
   summary.to.clear();
   add_address_field(fields.to, summary.to);
   add_address_field(fields.cc, summary.cc);
   if (const auto &date = fields.date.value) {
      if (auto plain = read_plain_date(*date)) {  // mime/plain_date.h
         summary.date = std::move(plain->rfc3339);
         summary.day = plain->day;
      } else if (GDateTime *parsed = g_mime_utils_header_decode_date(fields.date.c_string().c_str())) {
         set_date(summary, parsed);
         g_date_time_unref(parsed);
      }
   }
   if (const auto &id = fields.message_id.value) {
      if (auto plain = read_plain_message_id(*id)) {  // mime/plain_text.h
         summary.message_id = std::move(*plain);
      } else if (char *decoded = g_mime_utils_decode_message_id(fields.message_id.c_string().c_str())) {
         summary.message_id = std::string("<") + decoded + ">";
         g_free(decoded);
      }
   }
   return summary;
}

namespace {

// A value GMime would give back as it is: printable ASCII, no encoded word, nothing to unquote,
// no white space at its ends.
bool plain_value(std::string_view value) {
   if (value.empty() || value.front() == ' ' || value.back() == ' ') return false;
   for (char c : value)
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
   return value.find("=?") == std::string_view::npos;
}

}  // namespace

void ParameterDecoder::add(std::string_view name, std::string_view value) {
   if (name.empty() || name.find_first_of(";=\"\r\n\\ ") != std::string_view::npos) return;
   const std::size_t star = name.find('*');
   added_.push_back({std::string(name), to_lower_ascii(name.substr(0, star)), star != std::string_view::npos,
                     std::string(value)});
}

std::string ParameterDecoder::header_for_gmime() const {
   std::string header = "x";
   for (const Added &added : added_) {
      header += "; " + added.name + "=";
      if (added.name.back() == '*') {  // an RFC 2231 extended value is a token: %-encoded, never quoted
         for (char c : added.value)
            if (c != '"' && c != ';' && c != '\r' && c != '\n' && c != ' ') header += c;
         continue;
      }
      header += '"';
      for (char c : added.value) {
         if (c == '\r' || c == '\n') continue;
         if (c == '"' || c == '\\') header += '\\';
         header += c;
      }
      header += '"';
   }
   return header;
}

std::string ParameterDecoder::get(std::string_view plain_name) const {
   // Most parts have no such parameter, and most names are plain: GMime only for the rest (RFC
   // 2231 forms, encoded words, a repeated name).
   const Added *only = nullptr;
   std::size_t count = 0;
   for (const Added &added : added_)
      if (iequals(added.base, plain_name)) only = ++count == 1 ? &added : nullptr;
   if (count == 0) return "";
   if (only && !only->extended && plain_value(only->value)) return only->value;
   const std::string text = header_for_gmime();
   GMimeContentDisposition *parsed = g_mime_content_disposition_parse(parser_options(), text.c_str());
   if (!parsed) return "";
   const char *value = g_mime_content_disposition_get_parameter(parsed, std::string(plain_name).c_str());
   std::string result = valid_utf8_or_empty(value);
   g_object_unref(parsed);
   return result;
}

}  // namespace email::mime
