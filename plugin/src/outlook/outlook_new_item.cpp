#include "outlook/outlook_new_item.h"

#include <cstdio>
#include <memory>

#include "mime/header_summary.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

using File = std::unique_ptr<std::FILE, int (*)(std::FILE *)>;

// Writes what `write` gives its sink into the new file `path`.
void write_file(const std::string &path, const std::function<void(const ByteSink &)> &write) {
   std::string error;
   File file(open_new_file_for_writing(path, error), &std::fclose);
   if (!file)
      throw Failure(RPA_INTERNAL, "Outlook: a part of the message cannot be written for Outlook: " + error);
   write([&](std::string_view chunk) {
      if (std::fwrite(chunk.data(), 1, chunk.size(), file.get()) != chunk.size())
         throw Failure(RPA_INTERNAL, "Outlook: a part of the message cannot be written for Outlook");
   });
   if (std::fflush(file.get()) != 0)
      throw Failure(RPA_INTERNAL, "Outlook: a part of the message cannot be written for Outlook");
}

// The field's value unfolded (each run of white space one space) and trimmed; "" when none.
std::string header(GMimeMessage *message, const char *name) {
   const char *value = g_mime_object_get_header(GMIME_OBJECT(message), name);
   if (!value || !g_utf8_validate(value, -1, nullptr)) return "";
   std::string out;
   for (const char *c = value; *c; ++c) {
      const bool space = *c == ' ' || *c == '\t' || *c == '\r' || *c == '\n';
      if (!space)
         out += *c;
      else if (!out.empty() && out.back() != ' ')
         out += ' ';
   }
   if (!out.empty() && out.back() == ' ') out.pop_back();
   return out;
}

// Importance (RFC 2156: low, normal, high), else X-Priority (1-2 high, 4-5 low).
long importance_of(GMimeMessage *message) {
   const std::string importance = header(message, "Importance");
   if (iequals(importance, "high")) return 2;
   if (iequals(importance, "low")) return 0;
   if (!importance.empty()) return 1;
   const std::string priority = header(message, "X-Priority");
   if (!priority.empty() && (priority[0] == '1' || priority[0] == '2')) return 2;
   if (!priority.empty() && (priority[0] == '4' || priority[0] == '5')) return 0;
   return 1;
}

std::vector<MailAddress> addresses(GMimeMessage *message, GMimeAddressType type) {
   std::vector<MailAddress> out;
   mime::add_addresses(g_mime_message_get_addresses(message, type), out);
   return out;
}

}  // namespace

std::shared_ptr<PrivateDirectory> outlook_private_directory() {
   try {
      return std::make_shared<PrivateDirectory>();
   } catch (const std::runtime_error &error) {
      throw Failure(
          RPA_INTERNAL,
          std::string("Outlook: no private directory for the parts of the message: ") + error.what());
   }
}

std::string outlook_address_line(const std::vector<MailAddress> &addresses) {
   std::string line;
   for (const MailAddress &address : addresses) {
      if (!line.empty()) line += "; ";
      line += address.name.empty() ? address.address : address.name + " <" + address.address + ">";
   }
   return line;
}

OutlookNewItem outlook_new_item(const mime::MessageFile &message, const PrivateDirectory &directory) {
   GMimeMessage *parsed = message.message();
   const mime::HeaderSummary summary = mime::summarize_message(parsed);
   OutlookNewItem item;
   item.subject = summary.subject;
   item.to = outlook_address_line(summary.to);
   item.cc = outlook_address_line(summary.cc);
   item.bcc = outlook_address_line(addresses(parsed, GMIME_ADDRESS_TYPE_BCC));
   for (const MailAddress &address : addresses(parsed, GMIME_ADDRESS_TYPE_REPLY_TO))
      item.reply_to.push_back(address.address);
   if (summary.from) item.from = summary.from->address;
   item.text = message.text_body();
   item.html = message.html_body();
   item.importance = importance_of(parsed);
   item.message_id = summary.message_id;
   item.in_reply_to = header(parsed, "In-Reply-To");
   item.references = header(parsed, "References");
   for (const AttachmentInfo &attachment : message.attachments()) {
      const std::string path = directory.file("a" + std::to_string(attachment.index));
      write_file(path, [&](const ByteSink &sink) { message.write_attachment(attachment.index, sink); });
      item.attachments.push_back({path, attachment.name.empty() ? "attachment" : attachment.name, ""});
   }
   const std::vector<mime::InlinePart> inline_parts = message.inline_parts();
   for (unsigned index = 0; index < inline_parts.size(); ++index) {
      const std::string path = directory.file("i" + std::to_string(index));
      write_file(path, [&](const ByteSink &sink) { message.write_inline_part(index, sink); });
      const mime::InlinePart &part = inline_parts[index];
      item.attachments.push_back({path, part.name.empty() ? part.content_id : part.name, part.content_id});
   }
   return item;
}

}  // namespace email
