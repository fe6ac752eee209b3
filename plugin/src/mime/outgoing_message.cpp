#include "mime/outgoing_message.h"

#include <cstring>
#include <functional>

#include "rpa_common/json.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr std::size_t kMaxAddressText = 64 * 1024;
constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;
constexpr std::size_t kMaxAttachments = 500;

[[noreturn]] void bad(const std::string &member, const std::string &why) {
   throw Failure(RPA_INVALID_PROPERTIES,
                 "invalid send request: " + (member.empty() ? std::string("it") : member) + " " + why);
}

std::string text_of(const std::string &member, const rapidjson::Value &value, std::size_t max_size,
                    bool one_line) {
   if (!value.IsString()) bad(member, "must be a string");
   std::string text(value.GetString(), value.GetStringLength());
   if (text.size() > max_size) bad(member, "is longer than " + std::to_string(max_size) + " bytes");
   if (text.find('\0') != std::string::npos) bad(member, "must not contain NUL");
   if (one_line && text.find_first_of("\r\n") != std::string::npos) bad(member, "must be one line");
   return text;
}

// An address member: a string (one or several addresses) or an array of strings.
std::vector<std::string> addresses_of(const std::string &member, const rapidjson::Value &value) {
   std::vector<std::string> addresses;
   if (value.IsString()) {
      addresses.push_back(text_of(member, value, kMaxAddressText, true));
   } else if (value.IsArray()) {
      for (const rapidjson::Value &element : value.GetArray())
         addresses.push_back(text_of(member + "[]", element, kMaxAddressText, true));
   } else {
      bad(member, "must be an address, addresses separated by \",\" or \";\", or an array of addresses");
   }
   return addresses;
}

SaveCopy save_copy_of(const std::string &member, const rapidjson::Value &value) {
   const std::string text = text_of(member, value, 16, true);
   if (text == "auto") return SaveCopy::automatic;
   if (text == "always") return SaveCopy::always;
   if (text == "never") return SaveCopy::never;
   bad(member, "must be \"auto\", \"always\" or \"never\"");
}

rapidjson::Document parse_object(const char *json) {
   rapidjson::Document document;
   const rpa::JsonParseResult parsed = rpa::parse_json(document, json, std::strlen(json));
   if (!parsed) bad("", "is not JSON (" + parsed.message() + ")");
   if (!document.IsObject()) bad("", "is not a JSON object");
   return document;
}

OutgoingAttachment attachment_of(const std::string &member, const rapidjson::Value &value) {
   if (!value.IsObject()) bad(member, "must be an object with a \"path\" or a \"source\"");
   OutgoingAttachment attachment;
   for (auto &field : value.GetObject()) {
      const std::string name(field.name.GetString(), field.name.GetStringLength());
      const std::string where = member + "." + name;
      if (name == "path")
         attachment.path = text_of(where, field.value, 32768, true);
      else if (name == "source") {
         if (!field.value.IsUint()) bad(where, "must be the index of a byte source (0, 1, ...)");
         attachment.source = field.value.GetUint();
      } else if (name == "name")
         attachment.name = text_of(where, field.value, 1000, true);
      else if (name == "content_type")
         attachment.content_type = text_of(where, field.value, 200, true);
      else if (name == "content_id")
         attachment.content_id = text_of(where, field.value, 200, true);
      else
         bad(where, "is not an attachment member (path, source, name, content_type, content_id)");
   }
   if (attachment.source) {
      if (!attachment.path.empty()) bad(member, "names both a path and a source: one of them");
      if (attachment.name.empty()) bad(member + ".name", "is missing: the name the recipient sees");
   } else if (attachment.path.empty()) {
      bad(member + ".path", "is missing: the file to attach");
   }
   return attachment;
}

}  // namespace

namespace {

enum class RequestKind { send, reply, forward };

// The members every kind shares go into `message`; `extra` takes the kind's own, returning false
// for a name it does not know.
OutgoingMessage parse_message(
    const rapidjson::Document &document, RequestKind kind,
    const std::function<bool(const std::string &, const rapidjson::Value &)> &extra) {
   OutgoingMessage message;
   for (auto &member : document.GetObject()) {
      const std::string name(member.name.GetString(), member.name.GetStringLength());
      const rapidjson::Value &value = member.value;
      if (name == "from")
         message.from = text_of(name, value, 1000, true);
      else if (name == "to" && kind != RequestKind::reply)
         message.to = addresses_of(name, value);
      else if (name == "cc")
         message.cc = addresses_of(name, value);
      else if (name == "bcc")
         message.bcc = addresses_of(name, value);
      else if (name == "reply_to")
         message.reply_to = addresses_of(name, value);
      else if (name == "subject" && kind == RequestKind::send)
         message.subject = text_of(name, value, 16384, true);  // a line break could start a header
      else if (name == "text")
         message.text = text_of(name, value, kMaxBodyBytes, false);
      else if (name == "html")
         message.html = text_of(name, value, kMaxBodyBytes, false);
      else if (name == "attachments") {
         if (!value.IsArray()) bad(name, "must be an array of {\"path\": ...}");
         if (value.Size() > kMaxAttachments)
            bad(name, "has more than " + std::to_string(kMaxAttachments) + " files");
         for (rapidjson::SizeType i = 0; i < value.Size(); ++i)
            message.attachments.push_back(attachment_of(name + "[" + std::to_string(i) + "]", value[i]));
      } else if (name == "importance") {
         message.importance = text_of(name, value, 16, true);
         if (message.importance != "low" && message.importance != "normal" && message.importance != "high")
            bad(name, "must be \"low\", \"normal\" or \"high\"");
      } else if (name == "charset") {
         message.charset = to_lower_ascii(text_of(name, value, 32, true));
         if (message.charset != "utf-8" && message.charset != "iso-2022-jp")
            bad(name, "must be \"utf-8\" or \"iso-2022-jp\"");
      } else if (name == "save_copy") {
         message.save_copy = save_copy_of(name, value);
      } else if (!extra(name, value)) {
         bad(name,
             kind == RequestKind::send
                 ? "is not a send request member (from, to, cc, bcc, reply_to, subject, "
                   "text, html, attachments, importance, charset, save_copy)"
             : kind == RequestKind::reply
                 ? "is not a reply member (all, language, from, cc, bcc, reply_to, text, html, attachments, "
                   "importance, charset, save_copy)"
                 : "is not a forward member (to, cc, bcc, as_attachment, language, from, reply_to, text, "
                   "html, attachments, importance, charset, save_copy)");
      }
   }
   if (kind != RequestKind::reply && message.to.empty() && message.cc.empty() && message.bcc.empty())
      bad("to", "is missing: give at least one recipient in to, cc or bcc");
   return message;
}

std::string language_of(const std::string &name, const rapidjson::Value &value) {
   const std::string language = text_of(name, value, 8, true);
   if (language != "en" && language != "ja") bad(name, "must be \"en\" or \"ja\"");
   return language;
}

bool boolean_of(const std::string &name, const rapidjson::Value &value) {
   if (!value.IsBool()) bad(name, "must be true or false");
   return value.GetBool();
}

}  // namespace

OutgoingMessage parse_send_request(const char *json) {
   if (!json || !*json) bad("", "is missing: give at least a recipient (\"to\")");
   const rapidjson::Document document = parse_object(json);
   return parse_message(document, RequestKind::send,
                        [](const std::string &, const rapidjson::Value &) { return false; });
}

namespace {
// A reply's or forward's members: the message's, "language", and the one switch of its own
// (`flag_name`: "all" or "as_attachment").
template <typename Request>
Request parse_answer(const char *json, RequestKind kind, const char *flag_name, bool Request::*flag) {
   Request request;
   const rapidjson::Document document = parse_object(json);
   request.message =
       parse_message(document, kind, [&](const std::string &name, const rapidjson::Value &value) {
          if (name == flag_name)
             request.*flag = boolean_of(name, value);
          else if (name == "language")
             request.language = language_of(name, value);
          else
             return false;
          return true;
       });
   return request;
}
}  // namespace

ReplyRequest parse_reply_request(const char *json) {
   if (!json || !*json) return ReplyRequest();
   return parse_answer(json, RequestKind::reply, "all", &ReplyRequest::all);
}

ForwardRequest parse_forward_request(const char *json) {
   if (!json || !*json) bad("", "is missing: give at least a recipient (\"to\")");
   return parse_answer(json, RequestKind::forward, "as_attachment", &ForwardRequest::as_attachment);
}

RawEnvelope parse_raw_envelope(const char *json) {
   RawEnvelope envelope;
   if (!json || !*json) return envelope;
   const rapidjson::Document document = parse_object(json);
   for (auto &member : document.GetObject()) {
      const std::string name(member.name.GetString(), member.name.GetStringLength());
      if (name == "from")
         envelope.from = text_of(name, member.value, 1000, true);
      else if (name == "recipients")
         envelope.recipients = addresses_of(name, member.value);
      else if (name == "save_copy")
         envelope.save_copy = save_copy_of(name, member.value);
      else
         bad(name, "is not an envelope member (from, recipients, save_copy)");
   }
   return envelope;
}

}  // namespace email
