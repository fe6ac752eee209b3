#include "mime/header_summary.h"

#include "mime/gmime_runtime.h"

namespace email::mime {

namespace {

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

std::string valid_utf8_or_empty(const char *text) {
   if (!text) return "";
   return g_utf8_validate(text, -1, nullptr) ? std::string(text) : std::string();
}

}  // namespace

HeaderSummary summarize_message(GMimeMessage *message) {
   HeaderSummary summary;
   if (!message) return summary;
   summary.subject = valid_utf8_or_empty(g_mime_message_get_subject(message));
   std::vector<MailAddress> from;
   add_addresses(g_mime_message_get_from(message), from);
   if (!from.empty()) summary.from = from.front();
   add_addresses(g_mime_message_get_to(message), summary.to);
   add_addresses(g_mime_message_get_cc(message), summary.cc);
   if (GDateTime *date = g_mime_message_get_date(message)) {
      if (gchar *text = g_date_time_format(date, "%Y-%m-%dT%H:%M:%S%:z")) {
         summary.date = text;
         g_free(text);
      }
      summary.day = CalendarDate{g_date_time_get_year(date), g_date_time_get_month(date),
                                 g_date_time_get_day_of_month(date)};
   }
   if (const char *id = g_mime_message_get_message_id(message))
      summary.message_id = std::string("<") + id + ">";
   return summary;
}

HeaderSummary summarize_headers(std::string_view header_block) {
   GMimeParserOptions *options = parser_options();
   std::string block(header_block);
   // GMime needs the end of the header: one blank line.
   while (!block.empty() && (block.back() == '\n' || block.back() == '\r')) block.pop_back();
   block += "\r\n\r\n";
   GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(block.data(), block.size()));
   GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
   GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options));
   return summarize_message(message.get());
}

void ParameterDecoder::add(std::string_view name, std::string_view value) {
   if (name.empty() || name.find_first_of(";=\"\r\n\\ ") != std::string_view::npos) return;
   header_ += "; ";
   header_ += name;
   header_ += '=';
   if (name.back() == '*') {  // an RFC 2231 extended value is a token: %-encoded, never quoted
      for (char c : value)
         if (c != '"' && c != ';' && c != '\r' && c != '\n' && c != ' ') header_ += c;
      return;
   }
   header_ += '"';
   for (char c : value) {
      if (c == '\r' || c == '\n') continue;
      if (c == '"' || c == '\\') header_ += '\\';
      header_ += c;
   }
   header_ += '"';
}

std::string ParameterDecoder::get(std::string_view plain_name) const {
   if (header_.empty()) return "";
   const std::string text = "x" + header_;
   GMimeContentDisposition *parsed = g_mime_content_disposition_parse(parser_options(), text.c_str());
   if (!parsed) return "";
   const char *value = g_mime_content_disposition_get_parameter(parsed, std::string(plain_name).c_str());
   std::string result = valid_utf8_or_empty(value);
   g_object_unref(parsed);
   return result;
}

}  // namespace email::mime
