#include "mime/message_composer.h"

#include <fcntl.h>

#include <algorithm>
#include <cstring>

#include "mime/content_types.h"
#include "mime/iso2022jp.h"
#include "mime/message_spool.h"
#include "mime/mime_parts.h"
#include "mime/gmime_runtime.h"
#include "util/failure.h"
#include "util/files.h"
#include "util/text.h"

namespace email {

namespace {

using mime::GObjectPtr;

struct FormatOptionsFree {
   void operator()(GMimeFormatOptions *options) const { g_mime_format_options_free(options); }
};

std::string base_name(const std::string &path) {
   const std::size_t slash = path.find_last_of("/\\");
   return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Every mailbox of `list` (groups opened), appended to `out`, each checked.
void collect_addresses(InternetAddressList *list, const std::string &member, std::vector<std::string> &out) {
   const int count = internet_address_list_length(list);
   for (int i = 0; i < count; ++i) {
      InternetAddress *address = internet_address_list_get_address(list, i);
      if (INTERNET_ADDRESS_IS_GROUP(address)) {
         collect_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), member, out);
         continue;
      }
      const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
      const std::string text = addr ? addr : "";
      const std::size_t at = text.rfind('@');
      if (at == std::string::npos || at == 0 || at + 1 == text.size())
         throw Failure(RPA_INVALID_PROPERTIES, "invalid send request: " + member + " holds \"" +
                                                   printable(text, 100) +
                                                   "\", which is not an e-mail address (name@domain)");
      out.push_back(text);
   }
}

// `text` parsed as an address list: ";" separates as "," does (as Outlook lets people type).
GObjectPtr<InternetAddressList> parse_list(const std::string &text, const std::string &member) {
   std::string commas = text;
   bool quoted = false;
   for (char &c : commas) {
      if (c == '"') quoted = !quoted;
      if (c == ';' && !quoted) c = ',';
   }
   GObjectPtr<InternetAddressList> list(internet_address_list_parse(mime::parser_options(), commas.c_str()));
   if (!list || internet_address_list_length(list.get()) == 0)
      throw Failure(RPA_INVALID_PROPERTIES, "invalid send request: " + member + " holds \"" +
                                                printable(text, 100) + "\", which is no address");
   return list;
}

void add_all(InternetAddressList *to, const std::vector<std::string> &texts, const std::string &member,
             std::vector<std::string> *recipients) {
   for (const std::string &text : texts) {
      GObjectPtr<InternetAddressList> list = parse_list(text, member);
      std::vector<std::string> found;
      collect_addresses(list.get(), member, found);
      if (to) internet_address_list_append(to, list.get());
      if (recipients) recipients->insert(recipients->end(), found.begin(), found.end());
   }
}

// Each address once, whatever its case.
void deduplicate(std::vector<std::string> &addresses) {
   std::vector<std::string> seen, kept;
   for (const std::string &address : addresses) {
      const std::string key = to_lower_ascii(address);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      kept.push_back(address);
   }
   addresses.swap(kept);
}

// The recipients not among `visible` (To and Cc), whatever their case.
std::vector<std::string> blind_copies(const std::vector<std::string> &recipients,
                                      const std::vector<std::string> &visible) {
   std::vector<std::string> keys, blind;
   for (const std::string &address : visible) keys.push_back(to_lower_ascii(address));
   for (const std::string &address : recipients)
      if (std::find(keys.begin(), keys.end(), to_lower_ascii(address)) == keys.end())
         blind.push_back(address);
   return blind;
}

GMimeObject *attachment_part(const OutgoingAttachment &attachment, std::size_t index) {
   const std::string name = attachment.name.empty() ? base_name(attachment.path) : attachment.name;
   std::string error;
   std::FILE *file = open_file_for_reading(attachment.path, error);
   if (!file)
      throw Failure(RPA_INVALID_PROPERTIES, "invalid send request: attachments[" + std::to_string(index) +
                                                "]: the file \"" + printable(attachment.path, 300) +
                                                "\" cannot be read (" + error + "); nothing was sent");
   GObjectPtr<GMimeStream> stream(g_mime_stream_file_new(file));  // owns the FILE
   const std::string type =
       attachment.content_type.empty() ? content_type_for(name) : attachment.content_type;
   if (to_lower_ascii(type) == "message/rfc822") {  // as itself; one that does not parse as bytes
      if (GMimeObject *attached = mime::message_part(stream.get(), name)) return attached;
      g_mime_stream_reset(stream.get());
   }
   return mime::file_part(stream.get(), type, name, attachment.content_id);
}

GMimeObject *body_of(const OutgoingMessage &message) {
   std::vector<GMimeObject *> inline_parts, attached;
   try {
      for (std::size_t i = 0; i < message.attachments.size(); ++i) {
         const OutgoingAttachment &attachment = message.attachments[i];
         GMimeObject *part = attachment_part(attachment, i);
         (attachment.content_id.empty() || !message.html ? attached : inline_parts).push_back(part);
      }
   } catch (...) {
      for (GMimeObject *part : inline_parts) g_object_unref(part);
      for (GMimeObject *part : attached) g_object_unref(part);
      throw;
   }
   if (message.charset != "iso-2022-jp")
      return mime::message_body(message.text, message.html, std::move(inline_parts), std::move(attached));
   try {
      std::optional<std::string> text, html;
      if (message.text) text = mime::to_iso2022jp(*message.text, "text");
      if (message.html) html = mime::to_iso2022jp(*message.html, "html");
      return mime::message_body(text, html, std::move(inline_parts), std::move(attached), "ISO-2022-JP");
   } catch (...) {
      for (GMimeObject *part : inline_parts) g_object_unref(part);
      for (GMimeObject *part : attached) g_object_unref(part);
      throw;
   }
}

std::string domain_of(const std::string &address) {
   const std::size_t at = address.rfind('@');
   return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

bool any_non_ascii(const std::vector<std::string> &addresses) {
   return std::any_of(addresses.begin(), addresses.end(), [](const std::string &a) { return !is_ascii(a); });
}

}  // namespace

std::vector<std::string> parse_address_list(const std::string &text, const std::string &member) {
   mime::parser_options();  // GMime started
   std::vector<std::string> addresses;
   GObjectPtr<InternetAddressList> list = parse_list(text, member);
   collect_addresses(list.get(), member, addresses);
   return addresses;
}

ComposedMessage compose_message(const OutgoingMessage &request, const std::string &session_address) {
   mime::parser_options();  // GMime started
   ComposedMessage composed;
   GObjectPtr<GMimeMessage> message(g_mime_message_new(TRUE));
   const std::string from = request.from.empty() ? session_address : request.from;
   if (from.empty())
      throw Failure(RPA_INVALID_PROPERTIES,
                    "invalid send request: from is missing, and the session's username is not an e-mail "
                    "address to send from: give \"from\"");
   std::vector<std::string> senders;
   add_all(g_mime_message_get_from(message.get()), {from}, "from", &senders);
   if (senders.size() != 1)
      throw Failure(RPA_INVALID_PROPERTIES, "invalid send request: from must be one address");
   composed.from = senders.front();
   add_all(g_mime_message_get_addresses(message.get(), GMIME_ADDRESS_TYPE_TO), request.to, "to",
           &composed.recipients);
   add_all(g_mime_message_get_addresses(message.get(), GMIME_ADDRESS_TYPE_CC), request.cc, "cc",
           &composed.recipients);
   const std::vector<std::string> seen = composed.recipients;
   add_all(nullptr, request.bcc, "bcc", &composed.recipients);  // in the envelope only
   add_all(g_mime_message_get_reply_to(message.get()), request.reply_to, "reply_to", nullptr);
   deduplicate(composed.recipients);
   composed.bcc = blind_copies(composed.recipients, seen);
   if (composed.recipients.empty())
      throw Failure(RPA_INVALID_PROPERTIES,
                    "invalid send request: to is missing: give at least one recipient");
   if (request.charset == "iso-2022-jp")
      mime::headers_in_iso2022jp(message.get(), request.subject);
   else
      g_mime_message_set_subject(message.get(), request.subject.c_str(), "utf-8");
   GDateTime *now = g_date_time_new_now_local();
   g_mime_message_set_date(message.get(), now);
   g_date_time_unref(now);
   char *id = g_mime_utils_generate_message_id(domain_of(composed.from).c_str());
   g_mime_message_set_message_id(message.get(), id);
   composed.message_id = std::string("<") + id + ">";
   g_free(id);
   if (request.importance == "high" || request.importance == "low") {
      const bool high = request.importance == "high";
      g_mime_object_set_header(GMIME_OBJECT(message.get()), "Importance", high ? "high" : "low", nullptr);
      g_mime_object_set_header(GMIME_OBJECT(message.get()), "X-Priority", high ? "1 (Highest)" : "5 (Lowest)",
                               nullptr);
   }
   if (!request.in_reply_to.empty())
      g_mime_object_set_header(GMIME_OBJECT(message.get()), "In-Reply-To", request.in_reply_to.c_str(),
                               nullptr);
   if (!request.references.empty())
      g_mime_object_set_header(GMIME_OBJECT(message.get()), "References", request.references.c_str(),
                               nullptr);
   GObjectPtr<GMimeObject> body(body_of(request));
   g_mime_message_set_mime_part(message.get(), body.get());

   composed.file = new_spool();
   GObjectPtr<GMimeStream> stream(g_mime_stream_file_new(composed.file.get()));
   g_mime_stream_file_set_owner(GMIME_STREAM_FILE(stream.get()), FALSE);
   std::unique_ptr<GMimeFormatOptions, FormatOptionsFree> format(g_mime_format_options_new());
   g_mime_format_options_set_newline_format(format.get(), GMIME_NEWLINE_FORMAT_DOS);
   if (g_mime_object_write_to_stream(GMIME_OBJECT(message.get()), format.get(), stream.get()) < 0 ||
       g_mime_stream_flush(stream.get()) != 0)
      throw Failure(RPA_INTERNAL, "the message to send could not be written to its temporary file");
   stream.reset();
   composed.size = rewind_spool(composed.file.get());
   composed.utf8_headers = !is_ascii(composed.from) || any_non_ascii(composed.recipients);
   return composed;
}

ComposedMessage spool_raw_message(std::string_view data, const RawEnvelope &envelope,
                                  const std::string &session_address) {
   mime::parser_options();  // GMime started
   ComposedMessage composed;
   // The header block, as it is; the message's addresses come from it.
   std::size_t header_end = std::string_view::npos;
   for (std::size_t at = 0; at < data.size();) {
      std::size_t end = data.find('\n', at);
      const std::size_t line_end = end == std::string_view::npos ? data.size() : end;
      std::string_view line = data.substr(at, line_end - at);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) {
         header_end = at;
         break;
      }
      at = end == std::string_view::npos ? data.size() : end + 1;
   }
   const std::string_view header =
       data.substr(0, header_end == std::string_view::npos ? data.size() : header_end);
   if (header.empty() || header.find(':') == std::string_view::npos)
      throw Failure(RPA_INVALID_PROPERTIES,
                    "the message to send has no header (RFC 5322: fields, an empty line, "
                    "the body)");
   // A CR must end a line with its LF (RFC 5322 2.2): a bare CR in the header would make where a
   // field ends a guess, and the Bcc field is left out by where it ends.
   for (std::size_t cr = header.find('\r'); cr != std::string_view::npos; cr = header.find('\r', cr + 1))
      if (cr + 1 < data.size() && data[cr + 1] != '\n')
         throw Failure(RPA_INVALID_PROPERTIES,
                       "the message to send has a CR without its LF in its header (RFC 5322 2.2: lines end "
                       "with CRLF)");
   const std::string parsed_text = std::string(header) + "\r\n";
   GObjectPtr<GMimeStream> header_stream(
       g_mime_stream_mem_new_with_buffer(parsed_text.data(), parsed_text.size()));
   GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(header_stream.get()));
   GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), mime::parser_options()));
   if (!message) throw Failure(RPA_INVALID_PROPERTIES, "the message to send does not parse as RFC 5322");

   std::vector<std::string> senders;
   if (!envelope.from.empty()) {
      senders = parse_address_list(envelope.from, "from");
   } else {
      collect_addresses(g_mime_message_get_from(message.get()), "the message's From", senders);
      if (senders.empty() && !session_address.empty()) senders = parse_address_list(session_address, "from");
   }
   if (senders.size() != 1)
      throw Failure(RPA_INVALID_PROPERTIES,
                    "the message to send names no single sender: give the envelope's \"from\"");
   composed.from = senders.front();
   if (!envelope.recipients.empty()) {
      for (const std::string &text : envelope.recipients)
         for (const std::string &address : parse_address_list(text, "recipients"))
            composed.recipients.push_back(address);
   } else {
      for (GMimeAddressType type : {GMIME_ADDRESS_TYPE_TO, GMIME_ADDRESS_TYPE_CC, GMIME_ADDRESS_TYPE_BCC})
         collect_addresses(g_mime_message_get_addresses(message.get(), type), "the message's To, Cc or Bcc",
                           composed.recipients);
   }
   deduplicate(composed.recipients);
   if (composed.recipients.empty())
      throw Failure(RPA_INVALID_PROPERTIES,
                    "the message to send has no recipient (no To, Cc or Bcc, and the "
                    "envelope names none)");
   std::vector<std::string> seen;
   for (GMimeAddressType type : {GMIME_ADDRESS_TYPE_TO, GMIME_ADDRESS_TYPE_CC})
      collect_addresses(g_mime_message_get_addresses(message.get(), type), "the message's To or Cc", seen);
   composed.bcc = blind_copies(composed.recipients, seen);
   if (const char *id = g_mime_message_get_message_id(message.get()))
      composed.message_id = std::string("<") + id + ">";

   // The bytes: line ends made CRLF, the Bcc field (and its folded lines) left out.
   prepare_raw_bytes(data, composed);
   composed.utf8_headers = !is_ascii(composed.from) || any_non_ascii(composed.recipients);
   return composed;
}

}  // namespace email
