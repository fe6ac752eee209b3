#include "mime/reply_builder.h"

#include <fcntl.h>

#include <algorithm>

#include "mime/message_composer.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

using mime::GObjectPtr;

std::string header(GMimeMessage *message, const char *name) {
   const char *value = g_mime_object_get_header(GMIME_OBJECT(message), name);
   return value ? value : "";
}

// A header's addresses as display text ("Name <a@b>, c@d"), decoded.
std::string addresses_text(InternetAddressList *list) {
   if (!list || internet_address_list_length(list) == 0) return "";
   char *text = internet_address_list_to_string(list, nullptr, FALSE);
   std::string result = text ? text : "";
   g_free(text);
   return result;
}

// Who wrote it, for the line above the quote: the first sender's name, else its address.
std::string sender_name(GMimeMessage *message) {
   InternetAddressList *from = g_mime_message_get_from(message);
   if (!from || internet_address_list_length(from) == 0) return "";
   InternetAddress *first = internet_address_list_get_address(from, 0);
   const char *name = internet_address_get_name(first);
   if (name && *name) return name;
   return INTERNET_ADDRESS_IS_MAILBOX(first)
              ? internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(first))
              : "";
}

std::vector<std::string> addresses_of(InternetAddressList *list) {
   std::vector<std::string> found;
   const std::string text = addresses_text(list);
   if (text.empty()) return found;
   try {
      found = parse_address_list(text, "the original's addresses");
   } catch (const Failure &) {  // an original with an unreadable address: leave it out
   }
   return found;
}

std::string escape_html(const std::string &text) {
   std::string out;
   out.reserve(text.size() + text.size() / 8);
   for (char c : text) {
      switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\n': out += "<br>\n"; break;
      default: out += c;
      }
   }
   return out;
}

std::string quoted_text(const std::string &text) {
   std::string out = "> ";
   for (std::size_t i = 0; i < text.size(); ++i) {
      out += text[i];
      if (text[i] == '\n' && i + 1 < text.size()) out += "> ";
   }
   if (!out.empty() && out.back() != '\n') out += '\n';
   return out;
}

// The request's own words, then `intro` and the original (quoted in text, in a blockquote in HTML).
// Line ends as LF: the composer writes CRLF for every line.
std::optional<std::string> lf_lines(std::optional<std::string> text) {
   if (text) text->erase(std::remove(text->begin(), text->end(), '\r'), text->end());
   return text;
}

void add_bodies(OutgoingMessage &message, const mime::MessageFile &original, const std::string &intro,
                bool quote) {
   const std::optional<std::string> text = lf_lines(original.text_body()), html = original.html_body();
   const std::string own_text = message.text.value_or("");
   std::string new_text = own_text + (own_text.empty() ? "" : "\n\n") + intro + "\n";
   if (text) new_text += quote ? quoted_text(*text) : "\n" + *text;
   const bool wants_html = message.html || html;
   if (wants_html) {
      const std::string own_html = message.html ? *message.html : escape_html(own_text);
      const std::string original_html = html ? *html : escape_html(text.value_or(""));
      message.html =
          own_html + "<br>\n<div>" + escape_html(intro) + "</div>\n" +
          (quote ? "<blockquote type=\"cite\" style=\"margin:0 0 0 .8ex;border-left:1px solid #ccc;"
                   "padding-left:1ex\">\n" +
                       original_html + "\n</blockquote>\n"
                 : "<div>\n" + original_html + "\n</div>\n");
   }
   message.text = new_text;
}

bool same_address(const std::string &a, const std::string &b) {
   return to_lower_ascii(a) == to_lower_ascii(b);
}

bool among(const std::string &address, const std::vector<std::string> &list) {
   return std::any_of(list.begin(), list.end(),
                      [&](const std::string &x) { return same_address(x, address); });
}

// A name that is safe as one file in a directory.
std::string safe_name(const std::string &name, std::size_t index) {
   std::string safe;
   for (char c : name)
      safe +=
          (static_cast<unsigned char>(c) < 0x20 || std::string("/\\:*?\"<>|").find(c) != std::string::npos)
              ? '_'
              : c;
   return std::to_string(index) + "-" + (safe.empty() ? "attachment" : safe);
}

}  // namespace

std::string prefixed_subject(const std::string &subject, const std::string &prefix,
                             const std::vector<std::string> &known) {
   std::size_t start = 0;
   while (start < subject.size() && (subject[start] == ' ' || subject[start] == '\t')) ++start;
   const std::string lower = to_lower_ascii(subject.substr(start, 16));
   for (const std::string &k : known)
      if (lower.compare(0, k.size(), to_lower_ascii(k)) == 0) return subject;
   return prefix + subject;
}

OutgoingMessage build_reply(const mime::MessageFile &original, const ReplyRequest &request,
                            const std::vector<std::string> &own_addresses) {
   GMimeMessage *message = original.message();
   OutgoingMessage reply = request.message;
   std::vector<std::string> to = addresses_of(g_mime_message_get_reply_to(message));
   if (to.empty()) to = addresses_of(g_mime_message_get_from(message));
   if (to.empty()) throw Failure(RPA_INVALID_PROPERTIES, "the original message names no sender to reply to");
   std::vector<std::string> cc;
   if (request.all) {
      std::vector<std::string> everyone =
          addresses_of(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO));
      for (const std::string &address :
           addresses_of(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_CC)))
         everyone.push_back(address);
      std::vector<std::string> own = own_addresses;
      if (!reply.from.empty())
         for (const std::string &address : parse_address_list(reply.from, "from")) own.push_back(address);
      for (const std::string &address : everyone)
         if (!among(address, own) && !among(address, to) && !among(address, cc)) cc.push_back(address);
   }
   reply.to = to;
   reply.cc.insert(reply.cc.begin(), cc.begin(), cc.end());
   const char *subject = g_mime_message_get_subject(message);
   reply.subject = prefixed_subject(subject ? subject : "", "Re: ", {"re:", "re：", "返信:", "返信："});
   const char *id = g_mime_message_get_message_id(message);
   if (id && *id) {
      reply.in_reply_to = std::string("<") + id + ">";
      const std::string references = header(message, "References");
      reply.references = (references.empty() ? "" : references + " ") + reply.in_reply_to;
   }
   const std::string date = header(message, "Date"), who = sender_name(message);
   const std::string intro = request.language == "ja" ? date + "、" + who + " さんは書きました:"
                                                      : "On " + date + ", " + who + " wrote:";
   add_bodies(reply, original, intro, true);
   return reply;
}

OutgoingMessage build_forward(const mime::MessageFile &original, const ForwardRequest &request,
                              const PrivateDirectory &directory) {
   GMimeMessage *message = original.message();
   OutgoingMessage forward = request.message;
   const char *subject = g_mime_message_get_subject(message);
   forward.subject = prefixed_subject(subject ? subject : "", "Fwd: ", {"fwd:", "fw:", "転送:", "転送："});
   if (request.as_attachment) {
      const std::string path = directory.file("forwarded.eml");
      GError *error = nullptr;
      GObjectPtr<GMimeStream> stream(
          g_mime_stream_fs_open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600, &error));
      if (!stream || g_mime_object_write_to_stream(GMIME_OBJECT(message), nullptr, stream.get()) < 0 ||
          g_mime_stream_flush(stream.get()) != 0) {
         if (error) g_error_free(error);
         throw Failure(RPA_INTERNAL, "the original message could not be written to attach it");
      }
      forward.attachments.push_back({path, prefixed_subject(subject ? subject : "message", "", {}) + ".eml",
                                     "message/rfc822", "", std::nullopt});
      return forward;
   }
   const bool ja = request.language == "ja";
   const std::string intro = std::string(ja ? "---------- 転送メッセージ ----------\n差出人: "
                                            : "---------- Forwarded message ---------\nFrom: ") +
                             addresses_text(g_mime_message_get_from(message)) +
                             (ja ? "\n日付: " : "\nDate: ") + header(message, "Date") +
                             (ja ? "\n件名: " : "\nSubject: ") + (subject ? subject : "") +
                             (ja ? "\n宛先: " : "\nTo: ") +
                             addresses_text(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO));
   add_bodies(forward, original, intro, false);
   const std::vector<AttachmentInfo> attachments = original.attachments();
   for (std::size_t i = 0; i < attachments.size(); ++i) {
      const std::string path = directory.file(safe_name(attachments[i].name, i));
      std::string error;
      std::unique_ptr<std::FILE, SpoolCloser> file(open_new_file_for_writing(path, error));
      if (!file)
         throw Failure(RPA_INTERNAL, "the original's attachment could not be kept to forward it: " + error);
      original.write_attachment(attachments[i].index, [&](std::string_view chunk) {
         if (std::fwrite(chunk.data(), 1, chunk.size(), file.get()) != chunk.size())
            throw Failure(RPA_INTERNAL, "the original's attachment could not be kept to forward it");
      });
      file.reset();
      forward.attachments.push_back(
          {path, attachments[i].name, attachments[i].content_type, "", std::nullopt});
   }
   return forward;
}

}  // namespace email
