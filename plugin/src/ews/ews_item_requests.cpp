#include "ews/ews_item_requests.h"

#include <rpa_common/base64.h>

#include <cstdio>

namespace email::ews {

namespace {

void field(pugi::xml_node parent, const char *uri) {
   parent.append_child("t:FieldURI").append_attribute("FieldURI") = uri;
}

void extended(pugi::xml_node parent, const char *tag, const char *type) {
   pugi::xml_node node = parent.append_child("t:ExtendedFieldURI");
   node.append_attribute("PropertyTag") = tag;
   node.append_attribute("PropertyType") = type;
}

void item_id(pugi::xml_node parent, const std::string &id) {
   parent.append_child("t:ItemId").append_attribute("Id") = id.c_str();
}

// UpdateItem (AlwaysOverwrite, SaveOnly) of the item `id`: returns its t:Updates.
pugi::xml_node begin_update(pugi::xml_document &document, const RequestHeader &header,
                            const std::string &id) {
   pugi::xml_node operation = begin_request(document, header).append_child("m:UpdateItem");
   operation.append_attribute("ConflictResolution") = "AlwaysOverwrite";
   operation.append_attribute("MessageDisposition") = "SaveOnly";
   pugi::xml_node change = operation.append_child("m:ItemChanges").append_child("t:ItemChange");
   item_id(change, id);
   return change.append_child("t:Updates");
}

void folder_id(pugi::xml_node parent, const std::string &id) {
   parent.append_child("t:FolderId").append_attribute("Id") = id.c_str();
}

// <t:IsEqualTo>-style comparison of a field with a constant.
pugi::xml_node compare(pugi::xml_node parent, const char *operation, const char *uri,
                       const std::string &constant) {
   pugi::xml_node node = parent.append_child(operation);
   field(node, uri);
   node.append_child("t:FieldURIOrConstant").append_child("t:Constant").append_attribute("Value") =
       constant.c_str();
   return node;
}

}  // namespace

std::string get_distinguished_folders_request(const RequestHeader &header,
                                              const std::vector<const char *> &ids) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:GetFolder");
   operation.append_child("m:FolderShape").append_child("t:BaseShape").text().set("IdOnly");
   pugi::xml_node folder_ids = operation.append_child("m:FolderIds");
   for (const char *id : ids) append_distinguished_folder(folder_ids, id, header);
   return request_text(document);
}

std::string find_item_request(const RequestHeader &header, const std::string &folder,
                              const SearchQuery &query, unsigned offset, unsigned page_size) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:FindItem");
   operation.append_attribute("Traversal") = "Shallow";
   operation.append_child("m:ItemShape").append_child("t:BaseShape").text().set("IdOnly");
   pugi::xml_node view = operation.append_child("m:IndexedPageItemView");
   view.append_attribute("MaxEntriesReturned") = page_size;
   view.append_attribute("Offset") = offset;
   view.append_attribute("BasePoint") = "Beginning";

   pugi::xml_document conditions;
   pugi::xml_node all = conditions.append_child("t:And");
   if (query.seen) compare(all, "t:IsEqualTo", "message:IsRead", *query.seen ? "true" : "false");
   if (query.flagged) {
      pugi::xml_node node = all.append_child(*query.flagged ? "t:IsEqualTo" : "t:IsNotEqualTo");
      extended(node, "0x1090", "Integer");  // PidTagFlagStatus: 2 = flagged
      node.append_child("t:FieldURIOrConstant").append_child("t:Constant").append_attribute("Value") = "2";
   }
   if (query.since) compare(all, "t:IsGreaterThanOrEqualTo", "item:DateTimeSent", utc_midnight(*query.since));
   if (query.before) compare(all, "t:IsLessThan", "item:DateTimeSent", utc_midnight(*query.before));
   if (query.has_attachments)
      compare(all, "t:IsEqualTo", "item:HasAttachments", *query.has_attachments ? "true" : "false");
   if (!query.subject.empty()) {
      pugi::xml_node contains = all.append_child("t:Contains");
      contains.append_attribute("ContainmentMode") = "Substring";
      contains.append_attribute("ContainmentComparison") = "IgnoreCase";
      field(contains, "item:Subject");
      contains.append_child("t:Constant").append_attribute("Value") = query.subject.c_str();
   }
   const auto count = std::distance(all.children().begin(), all.children().end());
   if (count > 0) {
      pugi::xml_node restriction = operation.append_child("m:Restriction");
      restriction.append_copy(count == 1 ? all.first_child() : all);
   }
   pugi::xml_node order = operation.append_child("m:SortOrder").append_child("t:FieldOrder");
   order.append_attribute("Order") = query.newest_first ? "Descending" : "Ascending";
   field(order, "item:DateTimeReceived");
   folder_id(operation.append_child("m:ParentFolderIds"), folder);
   return request_text(document);
}

std::string get_item_summaries_request(const RequestHeader &header,
                                       const std::vector<std::string> &item_ids) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:GetItem");
   pugi::xml_node shape = operation.append_child("m:ItemShape");
   shape.append_child("t:BaseShape").text().set("IdOnly");
   pugi::xml_node more = shape.append_child("t:AdditionalProperties");
   for (const char *uri : {"item:Subject", "message:From", "message:ToRecipients", "message:CcRecipients",
                           "item:DateTimeSent", "item:Size", "message:IsRead", "item:Flag",
                           "message:InternetMessageId", "item:ParentFolderId", "item:Attachments"})
      field(more, uri);
   extended(more, "0x1081", "Integer");  // PidTagLastVerbExecuted: 102 reply, 103 reply all
   pugi::xml_node ids = operation.append_child("m:ItemIds");
   for (const std::string &id : item_ids) item_id(ids, id);
   return request_text(document);
}

namespace {

std::string get_one_item_request(const RequestHeader &header, const std::string &id, bool mime) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:GetItem");
   pugi::xml_node shape = operation.append_child("m:ItemShape");
   shape.append_child("t:BaseShape").text().set("IdOnly");
   if (mime) shape.append_child("t:IncludeMimeContent").text().set("true");
   item_id(operation.append_child("m:ItemIds"), id);
   return request_text(document);
}

}  // namespace

std::string get_item_mime_request(const RequestHeader &header, const std::string &id) {
   return get_one_item_request(header, id, true);
}

std::string get_item_id_request(const RequestHeader &header, const std::string &id) {
   return get_one_item_request(header, id, false);
}

std::string update_flags_request(const RequestHeader &header, const std::string &id, FlagChange seen,
                                 FlagChange flagged) {
   pugi::xml_document document;
   pugi::xml_node updates = begin_update(document, header, id);
   if (seen != FlagChange::keep) {
      pugi::xml_node set = updates.append_child("t:SetItemField");
      field(set, "message:IsRead");
      set.append_child("t:Message")
          .append_child("t:IsRead")
          .text()
          .set(seen == FlagChange::set ? "true" : "false");
   }
   if (flagged != FlagChange::keep) {
      pugi::xml_node set = updates.append_child("t:SetItemField");
      field(set, "item:Flag");
      set.append_child("t:Message")
          .append_child("t:Flag")
          .append_child("t:FlagStatus")
          .text()
          .set(flagged == FlagChange::set ? "Flagged" : "NotFlagged");
   }
   return request_text(document);
}

std::string update_answered_request(const RequestHeader &header, const std::string &id, Answered how) {
   pugi::xml_document document;
   pugi::xml_node updates = begin_update(document, header, id);
   const std::pair<const char *, long> values[] = {{"0x1081", last_verb_executed(how)},
                                                   {"0x1080", icon_index(how)}};
   for (const auto &[tag, value] : values) {
      pugi::xml_node set = updates.append_child("t:SetItemField");
      extended(set, tag, "Integer");
      pugi::xml_node property = set.append_child("t:Message").append_child("t:ExtendedProperty");
      extended(property, tag, "Integer");
      property.append_child("t:Value").text().set(std::to_string(value).c_str());
   }
   return request_text(document);
}

std::string transfer_item_request(const RequestHeader &header, const std::string &id,
                                  const std::string &folder, bool copy) {
   pugi::xml_document document;
   pugi::xml_node operation =
       begin_request(document, header).append_child(copy ? "m:CopyItem" : "m:MoveItem");
   folder_id(operation.append_child("m:ToFolderId"), folder);
   item_id(operation.append_child("m:ItemIds"), id);
   operation.append_child("m:ReturnNewItemIds").text().set("true");
   return request_text(document);
}

std::string delete_item_request(const RequestHeader &header, const std::string &id, bool hard) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:DeleteItem");
   operation.append_attribute("DeleteType") = hard ? "HardDelete" : "MoveToDeletedItems";
   item_id(operation.append_child("m:ItemIds"), id);
   return request_text(document);
}

std::string create_item_request(const RequestHeader &header, const std::string &folder,
                                std::string_view mime) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:CreateItem");
   operation.append_attribute("MessageDisposition") = "SaveOnly";
   folder_id(operation.append_child("m:SavedItemFolderId"), folder);
   pugi::xml_node message = operation.append_child("m:Items").append_child("t:Message");
   message.append_child("t:MimeContent").text().set(rpa::base64_text(mime).c_str());
   pugi::xml_node flags = message.append_child("t:ExtendedProperty");
   extended(flags, "0x0E07", "Integer");  // PidTagMessageFlags
   flags.append_child("t:Value").text().set("1");
   return request_text(document);
}

std::string sync_folder_items_request(const RequestHeader &header, const std::string &folder,
                                      const std::string &sync_state, unsigned most) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:SyncFolderItems");
   operation.append_child("m:ItemShape").append_child("t:BaseShape").text().set("IdOnly");
   folder_id(operation.append_child("m:SyncFolderId"), folder);
   if (!sync_state.empty()) operation.append_child("m:SyncState").text().set(sync_state.c_str());
   operation.append_child("m:MaxChangesReturned").text().set(most);
   operation.append_child("m:SyncScope").text().set("NormalItems");
   return request_text(document);
}

}  // namespace email::ews
