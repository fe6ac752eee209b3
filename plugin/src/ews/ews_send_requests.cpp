#include "ews/ews_send_requests.h"

#include <rpa_common/base64.h>

namespace email::ews {

namespace {

// <t:Message> with the MIME, marked an unsent draft when `unsent`, and the blind copies (in the
// schema's order: ItemType's MimeContent and ExtendedProperty, then MessageType's BccRecipients).
void message(pugi::xml_node items, std::string_view mime, const std::vector<std::string> &bcc, bool unsent) {
   pugi::xml_node message = items.append_child("t:Message");
   message.append_child("t:MimeContent").text().set(rpa::base64_text(mime).c_str());
   if (unsent) {
      pugi::xml_node flags = message.append_child("t:ExtendedProperty");
      pugi::xml_node uri = flags.append_child("t:ExtendedFieldURI");
      uri.append_attribute("PropertyTag") = "0x0E07";  // PidTagMessageFlags
      uri.append_attribute("PropertyType") = "Integer";
      flags.append_child("t:Value").text().set("8");  // MSGFLAG_UNSENT
   }
   if (bcc.empty()) return;
   pugi::xml_node list = message.append_child("t:BccRecipients");
   for (const std::string &address : bcc)
      list.append_child("t:Mailbox").append_child("t:EmailAddress").text().set(address.c_str());
}

}  // namespace

std::string send_message_request(const RequestHeader &header, std::string_view mime,
                                 const std::vector<std::string> &bcc, bool keep_copy) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:CreateItem");
   operation.append_attribute("MessageDisposition") = keep_copy ? "SendAndSaveCopy" : "SendOnly";
   if (keep_copy)
      append_distinguished_folder(operation.append_child("m:SavedItemFolderId"), "sentitems", header);
   message(operation.append_child("m:Items"), mime, bcc, false);
   return request_text(document);
}

std::string draft_request(const RequestHeader &header, std::string_view mime,
                          const std::vector<std::string> &bcc) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:CreateItem");
   operation.append_attribute("MessageDisposition") = "SaveOnly";
   append_distinguished_folder(operation.append_child("m:SavedItemFolderId"), "drafts", header);
   message(operation.append_child("m:Items"), mime, bcc, true);
   return request_text(document);
}

std::string send_item_request(const RequestHeader &header, const std::string &item_id,
                              const std::string &change_key) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:SendItem");
   operation.append_attribute("SaveItemToFolder") = "false";
   pugi::xml_node id = operation.append_child("m:ItemIds").append_child("t:ItemId");
   id.append_attribute("Id") = item_id.c_str();
   id.append_attribute("ChangeKey") = change_key.c_str();
   return request_text(document);
}

}  // namespace email::ews
