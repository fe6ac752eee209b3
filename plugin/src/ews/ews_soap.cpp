#include "ews/ews_soap.h"

#include <algorithm>

#include <cstdlib>
#include <cstring>
#include <sstream>

namespace email::ews {

namespace {

const char *local_name(const char *name) {
   const char *colon = std::strchr(name, ':');
   return colon ? colon + 1 : name;
}

// What FindFolder asks of each folder, and GetFolder of a folder that stands in for the list.
constexpr std::initializer_list<const char *> kListedFolderFields = {
    "folder:DisplayName", "folder:ParentFolderId", "folder:FolderClass", "folder:ChildFolderCount"};

void folder_shape(pugi::xml_node operation, std::initializer_list<const char *> fields) {
   pugi::xml_node shape = operation.append_child("m:FolderShape");
   shape.append_child("t:BaseShape").text().set("IdOnly");
   pugi::xml_node additional = shape.append_child("t:AdditionalProperties");
   for (const char *field : fields)
      additional.append_child("t:FieldURI").append_attribute("FieldURI") = field;
}

long long back_off_of(pugi::xml_node message_xml) {
   for (pugi::xml_node value : message_xml.children())
      if (std::strcmp(local_name(value.name()), "Value") == 0 &&
          std::strcmp(value.attribute("Name").value(), "BackOffMilliseconds") == 0)
         return std::atoll(value.child_value());
   return -1;
}

}  // namespace

pugi::xml_node begin_request(pugi::xml_document &document, const RequestHeader &header) {
   pugi::xml_node declaration = document.append_child(pugi::node_declaration);
   declaration.append_attribute("version") = "1.0";
   declaration.append_attribute("encoding") = "utf-8";
   pugi::xml_node envelope = document.append_child("soap:Envelope");
   envelope.append_attribute("xmlns:soap") = kSoapNamespace;
   envelope.append_attribute("xmlns:t") = kTypesNamespace;
   envelope.append_attribute("xmlns:m") = kMessagesNamespace;
   pugi::xml_node soap_header = envelope.append_child("soap:Header");
   soap_header.append_child("t:RequestServerVersion").append_attribute("Version") =
       header.server_version.c_str();
   if (!header.impersonate.empty())
      soap_header.append_child("t:ExchangeImpersonation")
          .append_child("t:ConnectingSID")
          .append_child("t:SmtpAddress")
          .text()
          .set(header.impersonate.c_str());
   return envelope.append_child("soap:Body");
}

std::string request_text(const pugi::xml_document &document) {
   std::ostringstream out;
   document.save(out, "", pugi::format_raw);
   return out.str();
}

pugi::xml_node child(pugi::xml_node node, const char *local) {
   for (pugi::xml_node candidate : node.children())
      if (candidate.type() == pugi::node_element && std::strcmp(local_name(candidate.name()), local) == 0)
         return candidate;
   return {};
}

pugi::xml_node path(pugi::xml_node node, std::initializer_list<const char *> locals) {
   for (const char *local : locals) node = child(node, local);
   return node;
}

void append_distinguished_folder(pugi::xml_node parent, const char *id, const RequestHeader &header) {
   pugi::xml_node folder = parent.append_child("t:DistinguishedFolderId");
   folder.append_attribute("Id") = id;
   if (!header.delegate_mailbox.empty())
      folder.append_child("t:Mailbox")
          .append_child("t:EmailAddress")
          .text()
          .set(header.delegate_mailbox.c_str());
}

std::string get_folder_request(const RequestHeader &header, const char *distinguished_id) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:GetFolder");
   folder_shape(operation, {"folder:DisplayName"});
   append_distinguished_folder(operation.append_child("m:FolderIds"), distinguished_id, header);
   return request_text(document);
}

std::string get_folder_and_root_request(const RequestHeader &header, const char *distinguished_id) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:GetFolder");
   folder_shape(operation, kListedFolderFields);
   pugi::xml_node ids = operation.append_child("m:FolderIds");
   append_distinguished_folder(ids, distinguished_id, header);
   append_distinguished_folder(ids, "msgfolderroot", header);
   return request_text(document);
}

std::string find_folder_request(const RequestHeader &header, unsigned offset, unsigned page_size) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:FindFolder");
   operation.append_attribute("Traversal") = "Deep";
   folder_shape(operation, kListedFolderFields);
   pugi::xml_node view = operation.append_child("m:IndexedPageFolderView");
   view.append_attribute("MaxEntriesReturned") = page_size;
   view.append_attribute("Offset") = offset;
   view.append_attribute("BasePoint") = "Beginning";
   append_distinguished_folder(operation.append_child("m:ParentFolderIds"), "msgfolderroot", header);
   return request_text(document);
}

bool parse_response(std::string body, Response &response) {
   response.document.reset();
   response.source = std::move(body);
   // The document points into these bytes, so they must stay put when the Response is moved: a
   // string's heap buffer does, but a short one kept inside the string object (libstdc++'s small
   // string, up to 15 bytes) would move with it. A capacity of 32 is always on the heap.
   response.source.reserve(std::max<std::size_t>(response.source.size(), 32));
   if (!response.document.load_buffer_inplace(response.source.data(), response.source.size())) return false;
   pugi::xml_node envelope = child(response.document, "Envelope");
   if (!envelope) return false;
   if (pugi::xml_node info = path(envelope, {"Header", "ServerVersionInfo"})) {
      response.server_version =
          std::string(info.attribute("MajorVersion").value()) + "." + info.attribute("MinorVersion").value() +
          "." + info.attribute("MajorBuildNumber").value() + "." + info.attribute("MinorBuildNumber").value();
      if (*info.attribute("Version").value())
         response.server_version += std::string(" (") + info.attribute("Version").value() + ")";
   }
   pugi::xml_node body_node = child(envelope, "Body");
   if (!body_node) return false;
   if (pugi::xml_node fault = child(body_node, "Fault")) {
      Fault parsed;
      pugi::xml_node detail = child(fault, "detail");
      parsed.code = child(detail, "ResponseCode").child_value();
      if (parsed.code.empty()) parsed.code = local_name(child(fault, "faultcode").child_value());
      parsed.text = child(fault, "faultstring").child_value();
      parsed.back_off_ms = back_off_of(child(detail, "MessageXml"));
      response.fault = parsed;
      return true;
   }
   pugi::xml_node operation = body_node.first_child();
   const pugi::xml_node messages = child(operation, "ResponseMessages");
   std::size_t count = 0;  // one per item of a GetItem of 1,000: room for all at once
   for (pugi::xml_node message = messages.first_child(); message; message = message.next_sibling()) ++count;
   response.messages.reserve(count);
   for (pugi::xml_node message : messages.children()) {
      if (message.type() != pugi::node_element) continue;
      ResponseMessage parsed;
      parsed.response_class = message.attribute("ResponseClass").value();
      parsed.code = child(message, "ResponseCode").child_value();
      parsed.text = child(message, "MessageText").child_value();
      parsed.back_off_ms = back_off_of(child(message, "MessageXml"));
      parsed.node = message;
      response.messages.push_back(std::move(parsed));
   }
   return true;
}

}  // namespace email::ews
