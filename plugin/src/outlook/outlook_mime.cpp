#include "outlook/outlook_mime.h"

#include <fcntl.h>

#include <cctype>
#include <cstdio>
#include <memory>

#include "mime/gmime_runtime.h"
#include "mime/mime_parts.h"
#include "util/failure.h"
#include "util/files.h"
#include "util/text.h"

namespace email {

namespace {

using mime::GObjectPtr;

constexpr std::size_t kChunk = 64 * 1024;

bool mime_field(const std::string &name) {
   const std::string lower = to_lower_ascii(name);
   return lower == "mime-version" || lower.rfind("content-", 0) == 0;
}

// A field name as RFC 5322 allows: printable ASCII but ':' and space, at least one.
bool field_name(const std::string &line, std::size_t colon) {
   if (colon == 0 || colon == std::string::npos) return false;
   for (std::size_t i = 0; i < colon; ++i) {
      const unsigned char c = static_cast<unsigned char>(line[i]);
      if (c <= 32 || c >= 127) return false;
   }
   return true;
}

void split_type(const std::string &content_type, std::string &type, std::string &subtype) {
   const std::size_t slash = content_type.find('/');
   type = slash == std::string::npos ? "" : to_lower_ascii(content_type.substr(0, slash));
   subtype = slash == std::string::npos ? "" : to_lower_ascii(content_type.substr(slash + 1));
   const auto token = [](const std::string &text) {
      if (text.empty() || text.size() > 100) return false;
      for (char c : text)
         if (!std::isalnum(static_cast<unsigned char>(c)) &&
             std::string("!#$&-^_.+").find(c) == std::string::npos)
            return false;
      return true;
   };
   if (!token(type) || !token(subtype)) {
      type = "application";
      subtype = "octet-stream";
   }
}

GMimeObject *attachment_part(const OutlookAttachment &attachment) {
   std::string type, subtype;
   split_type(attachment.content_type, type, subtype);
   GError *error = nullptr;
   GMimeStream *stream = g_mime_stream_fs_open(attachment.file.c_str(), O_RDONLY, 0, &error);
   if (!stream) {
      const std::string reason = error && error->message ? error->message : "cannot open it";
      if (error) g_error_free(error);
      throw Failure(RPA_INTERNAL, "Outlook: the attachment \"" + printable(attachment.name, 100) +
                                      "\" that Outlook saved cannot be read: " + reason);
   }
   GObjectPtr<GMimeStream> owned(stream);
   if (type == "message" && subtype == "rfc822") {
      if (GMimeObject *attached = mime::message_part(stream, "")) return attached;
      g_mime_stream_reset(stream);
      type = "application";
      subtype = "octet-stream";
   }
   return mime::file_part(stream, type + "/" + subtype, attachment.name, attachment.content_id);
}

// The body of the message: bodies, inline images, attachments.
GObjectPtr<GMimeObject> body_of(const OutlookItemContent &item) {
   std::vector<GMimeObject *> inline_parts, attached;
   try {
      for (const OutlookAttachment &attachment : item.attachments)
         (attachment.content_id.empty() || !item.html ? attached : inline_parts)
             .push_back(attachment_part(attachment));
   } catch (...) {  // the parts made before the one that failed
      for (GMimeObject *part : inline_parts) g_object_unref(part);
      for (GMimeObject *part : attached) g_object_unref(part);
      throw;
   }
   return GObjectPtr<GMimeObject>(
       mime::message_body(item.text, item.html, std::move(inline_parts), std::move(attached)));
}

void add_addresses(InternetAddressList *list, const std::vector<MailAddress> &addresses) {
   for (const MailAddress &address : addresses) {
      InternetAddress *mailbox = internet_address_mailbox_new(address.name.c_str(), address.address.c_str());
      internet_address_list_add(list, mailbox);
      g_object_unref(mailbox);
   }
}

struct FileCloser {
   void operator()(std::FILE *file) const { std::fclose(file); }
};

}  // namespace

std::string outlook_header_block(const std::string &transport_headers) {
   std::string block;
   bool keeping = false;  // whether the field being read is kept
   std::size_t start = 0;
   while (start < transport_headers.size()) {
      std::size_t end = transport_headers.find('\n', start);
      if (end == std::string::npos) end = transport_headers.size();
      std::string line = transport_headers.substr(start, end - start);
      start = end + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) break;  // the end of the header
      if (line.front() == ' ' || line.front() == '\t') {
         if (keeping) block += line + "\r\n";
         continue;
      }
      const std::size_t colon = line.find(':');
      keeping = field_name(line, colon) && !mime_field(line.substr(0, colon));
      if (keeping) block += line + "\r\n";
   }
   return block;
}

void write_outlook_message(const OutlookItemContent &item, const ByteSink &sink) {
   mime::parser_options();  // GMime started
   std::string error;
   std::unique_ptr<std::FILE, FileCloser> file(open_temporary_file(error));
   if (!file) throw Failure(RPA_INTERNAL, "Outlook: no temporary file for the message: " + error);
   GObjectPtr<GMimeStream> stream(g_mime_stream_file_new(file.get()));
   g_mime_stream_file_set_owner(GMIME_STREAM_FILE(stream.get()), FALSE);
   GMimeFormatOptions *format = g_mime_format_options_new();
   g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
   std::unique_ptr<GMimeFormatOptions, void (*)(GMimeFormatOptions *)> format_owner(
       format, g_mime_format_options_free);
   GObjectPtr<GMimeObject> body = body_of(item);
   const std::string headers = outlook_header_block(item.transport_headers);
   ssize_t written = 0;
   if (!headers.empty()) {
      const std::string top = headers + "MIME-Version: 1.0\r\n";
      written = g_mime_stream_write(stream.get(), top.data(), top.size());
      if (written >= 0) written = g_mime_object_write_to_stream(body.get(), format, stream.get());
   } else {
      GObjectPtr<GMimeMessage> message(g_mime_message_new(TRUE));
      if (item.from) add_addresses(g_mime_message_get_from(message.get()), {*item.from});
      add_addresses(g_mime_message_get_addresses(message.get(), GMIME_ADDRESS_TYPE_TO), item.to);
      add_addresses(g_mime_message_get_addresses(message.get(), GMIME_ADDRESS_TYPE_CC), item.cc);
      g_mime_message_set_subject(message.get(), item.subject.c_str(), "utf-8");
      if (item.date) {
         GDateTime *date = g_date_time_new_from_unix_utc(*item.date);
         if (date) {
            g_mime_message_set_date(message.get(), date);
            g_date_time_unref(date);
         }
      }
      std::string id = item.message_id;
      if (id.size() > 1 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
      if (!id.empty() && id.find_first_of("<> \r\n") == std::string::npos)
         g_mime_message_set_message_id(message.get(), id.c_str());
      g_mime_message_set_mime_part(message.get(), body.get());
      written = g_mime_object_write_to_stream(GMIME_OBJECT(message.get()), format, stream.get());
   }
   if (written < 0 || g_mime_stream_flush(stream.get()) != 0 || std::fflush(file.get()) != 0)
      throw Failure(RPA_INTERNAL, "Outlook: the message could not be written to a temporary file");
   std::rewind(file.get());
   std::string chunk(kChunk, '\0');
   for (;;) {
      const std::size_t got = std::fread(chunk.data(), 1, chunk.size(), file.get());
      if (got > 0) sink(std::string_view(chunk.data(), got));
      if (got < chunk.size()) break;
   }
   if (std::ferror(file.get()))
      throw Failure(RPA_INTERNAL, "Outlook: the built message could not be read back");
}

}  // namespace email
