#include "graph/graph_json.h"

#include <rapidjson/document.h>
#include <rpa_common/json.h>

#include <stdexcept>

#include "util/text.h"

namespace email::graph {

namespace {
constexpr unsigned kParseFlags = rapidjson::kParseStopWhenDoneFlag;

// Graph's bodies through the one depth-bounded reader (rpa_common/json.h): a body nested deeper
// than 64 levels is not parsed (and never recursed into).
bool parse_body(rapidjson::Document &document, const std::string &body) {
   return rpa::parse_json<kParseFlags>(document, body.data(), body.size()).ok;
}

std::string string_member(const rapidjson::Value &object, const char *name) {
   auto found = object.FindMember(name);
   return found != object.MemberEnd() && found->value.IsString()
              ? std::string(found->value.GetString(), found->value.GetStringLength())
              : std::string();
}
}  // namespace

Error parse_error(const std::string &body) {
   rapidjson::Document document;
   if (!parse_body(document, body) || !document.IsObject()) return {};
   auto error = document.FindMember("error");
   if (error == document.MemberEnd() || !error->value.IsObject()) return {};
   return {printable(string_member(error->value, "code"), 100),
           printable(string_member(error->value, "message"), 300)};
}

std::string parse_member(const std::string &body, const char *name) {
   rapidjson::Document document;
   return !parse_body(document, body) || !document.IsObject() ? std::string() : string_member(document, name);
}

std::string parse_id(const std::string &body) { return parse_member(body, "id"); }

std::string describe_body(const std::string &body) {
   if (body.empty()) return "an empty body";
   constexpr std::size_t kShown = 60;
   return "\"" + printable(body.substr(0, kShown), kShown) + (body.size() > kShown ? "...\"" : "\"") + " (" +
          std::to_string(body.size()) + " bytes)";
}

namespace {

// Parses a collection page ({"value": [...], "@odata.nextLink": ...}) into `document`; returns
// its value array. Throws std::invalid_argument.
const rapidjson::Value &collection_of(rapidjson::Document &document, const std::string &body) {
   if (!parse_body(document, body) || !document.IsObject()) throw std::invalid_argument("not a JSON object");
   auto value = document.FindMember("value");
   if (value == document.MemberEnd() || !value->value.IsArray())
      throw std::invalid_argument("no value array");
   return value->value;
}

}  // namespace

namespace {

// A folder object's entry; without id when it has no id or displayName.
FolderEntry folder_entry(const rapidjson::Value &folder) {
   FolderEntry entry{string_member(folder, "id"), string_member(folder, "displayName"), false,
                     string_member(folder, "parentFolderId")};
   if (entry.display_name.empty()) entry.id.clear();
   auto children = folder.FindMember("childFolderCount");
   entry.has_children =
       children != folder.MemberEnd() && children->value.IsInt() && children->value.GetInt() > 0;
   return entry;
}

}  // namespace

FolderEntry parse_folder(const std::string &body) {
   rapidjson::Document document;
   if (!parse_body(document, body) || !document.IsObject()) return {};
   return folder_entry(document);
}

FolderPage parse_folder_page(const std::string &body) {
   rapidjson::Document document;
   const rapidjson::Value &folders = collection_of(document, body);
   FolderPage page;
   for (const auto &folder : folders.GetArray()) {
      if (!folder.IsObject()) continue;
      FolderEntry entry = folder_entry(folder);
      if (entry.id.empty()) continue;
      page.folders.push_back(std::move(entry));
   }
   page.next_link = string_member(document, "@odata.nextLink");
   return page;
}

namespace {

MailAddress address_of(const rapidjson::Value &recipient) {
   if (!recipient.IsObject()) return {};
   auto email = recipient.FindMember("emailAddress");
   if (email == recipient.MemberEnd() || !email->value.IsObject()) return {};
   return {string_member(email->value, "name"), string_member(email->value, "address")};
}

std::vector<MailAddress> addresses_of(const rapidjson::Value &message, const char *name) {
   std::vector<MailAddress> out;
   auto list = message.FindMember(name);
   if (list != message.MemberEnd() && list->value.IsArray())
      for (const auto &recipient : list->value.GetArray()) out.push_back(address_of(recipient));
   return out;
}

bool bool_member(const rapidjson::Value &object, const char *name) {
   auto found = object.FindMember(name);
   return found != object.MemberEnd() && found->value.IsBool() && found->value.GetBool();
}

MessageSummary summary_of(const rapidjson::Value &message) {
   MessageSummary summary;
   summary.subject = string_member(message, "subject");
   auto from = message.FindMember("from");
   if (from != message.MemberEnd() && from->value.IsObject()) summary.from = address_of(from->value);
   summary.to = addresses_of(message, "toRecipients");
   summary.cc = addresses_of(message, "ccRecipients");
   summary.date = string_member(message, "sentDateTime");  // RFC 3339, UTC
   summary.seen = bool_member(message, "isRead");
   auto flag = message.FindMember("flag");
   summary.flagged = flag != message.MemberEnd() && flag->value.IsObject() &&
                     string_member(flag->value, "flagStatus") == "flagged";
   summary.message_id = string_member(message, "internetMessageId");
   auto properties = message.FindMember("singleValueExtendedProperties");
   if (properties != message.MemberEnd() && properties->value.IsArray())
      for (const auto &property : properties->value.GetArray())
         if (property.IsObject()) {
            const std::string tag = to_lower_ascii(string_member(property, "id"));
            const std::string value = string_member(property, "value");
            const bool number = !value.empty() && value.size() < 19 &&
                                value.find_first_not_of("0123456789") == std::string::npos;
            if (tag == "integer 0xe08" && number) summary.size = std::stoull(value);
            if (tag == "integer 0x1081") summary.answered = value == "102" || value == "103";  // reply (all)
         }
   std::vector<AttachmentInfo> attachments;
   auto list = message.FindMember("attachments");
   if (list != message.MemberEnd() && list->value.IsArray())
      for (const auto &attachment : list->value.GetArray()) {
         if (!attachment.IsObject() || bool_member(attachment, "isInline")) continue;
         AttachmentInfo info;
         info.index = static_cast<unsigned>(attachments.size());
         info.name = string_member(attachment, "name");
         const bool item = string_member(attachment, "@odata.type") == "#microsoft.graph.itemAttachment";
         info.content_type = item ? "message/rfc822" : string_member(attachment, "contentType");
         if (item) info.name += ".eml";
         auto size = attachment.FindMember("size");
         if (size != attachment.MemberEnd() && size->value.IsUint64()) info.size = size->value.GetUint64();
         attachments.push_back(std::move(info));
      }
   summary.attachments = std::move(attachments);
   return summary;
}

}  // namespace

MessagePage parse_message_page(const std::string &body) {
   rapidjson::Document document;
   const rapidjson::Value &messages = collection_of(document, body);
   MessagePage page;
   for (const auto &message : messages.GetArray()) {
      if (!message.IsObject()) continue;
      const std::string id = string_member(message, "id");
      if (id.empty()) continue;
      if (message.HasMember("@removed")) {  // a delta's deleted (or moved out) message
         page.removed.push_back(id);
         continue;
      }
      page.messages.emplace_back(id, summary_of(message));
      page.has_attachments.push_back(bool_member(message, "hasAttachments"));
   }
   auto count = document.FindMember("@odata.count");
   if (count != document.MemberEnd() && count->value.IsUint64()) page.count = count->value.GetUint64();
   page.next_link = string_member(document, "@odata.nextLink");
   page.delta_link = string_member(document, "@odata.deltaLink");
   return page;
}

std::string parse_first_received(const std::string &body) {
   rapidjson::Document document;
   if (!parse_body(document, body) || !document.IsObject()) return "";
   auto value = document.FindMember("value");
   if (value == document.MemberEnd() || !value->value.IsArray() || value->value.Empty() ||
       !value->value[0].IsObject())
      return "";
   return string_member(value->value[0], "receivedDateTime");
}

std::optional<MessageSummary> parse_message(const std::string &body) {
   rapidjson::Document document;
   if (!parse_body(document, body) || !document.IsObject() || string_member(document, "id").empty())
      return std::nullopt;
   return summary_of(document);
}

}  // namespace email::graph
