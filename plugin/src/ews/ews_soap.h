// EWS SOAP messages (learn.microsoft.com/exchange/client-developer/web-service-reference), built
// and read with pugixml.
//
// Requests: a SOAP 1.1 envelope with t:RequestServerVersion and, for app-only access,
// t:ExchangeImpersonation/ConnectingSID/SmtpAddress. Responses are read by local name (servers
// choose their own prefixes): h:ServerVersionInfo, s:Fault (faultcode, faultstring, detail with
// ResponseCode and MessageXml's BackOffMilliseconds), and response messages (ResponseClass,
// ResponseCode, MessageText).
#pragma once

#include <pugixml.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace email::ews {

inline constexpr const char *kSoapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr const char *kTypesNamespace = "http://schemas.microsoft.com/exchange/services/2006/types";
inline constexpr const char *kMessagesNamespace =
    "http://schemas.microsoft.com/exchange/services/2006/messages";

struct RequestHeader {
   std::string server_version;  // e.g. "Exchange2013_SP1"
   std::string impersonate;     // SMTP address, or "" for none
   // Delegate access: the mailbox whose distinguished folders are meant (their t:Mailbox), or ""
   // for the signed-in user's own.
   std::string delegate_mailbox;
};

// Appends <t:DistinguishedFolderId Id="id"> to `parent`, naming header.delegate_mailbox in it when set.
void append_distinguished_folder(pugi::xml_node parent, const char *id, const RequestHeader &header);

// A request document: <soap:Envelope> with the soap, t and m namespaces and the header; returns
// soap:Body for the operation. request_text() serializes it.
pugi::xml_node begin_request(pugi::xml_document &document, const RequestHeader &header);
std::string request_text(const pugi::xml_document &document);

// GetFolder for one distinguished folder ("inbox"), IdOnly plus DisplayName.
std::string get_folder_request(const RequestHeader &header, const char *distinguished_id);
// GetFolder of the distinguished folder `distinguished_id` and of msgfolderroot (two response
// messages, in that order), with the properties find_folder_request asks for: the folder as the
// folder list would show it, and whether it sits at the top of that list.
std::string get_folder_and_root_request(const RequestHeader &header, const char *distinguished_id);
// FindFolder Deep under msgfolderroot, one IndexedPageFolderView page.
std::string find_folder_request(const RequestHeader &header, unsigned offset, unsigned page_size);
// Whether a folder of FolderClass `folder_class` holds mail: IPF.Note and its sub-classes, or no
// class given (a plain folder). Calendars, contacts, tasks and the rest are not mail folders.
inline bool is_mail_folder_class(std::string_view folder_class) {
   return folder_class.empty() || folder_class.rfind("IPF.Note", 0) == 0;
}

// The child of `node` whose name without prefix is `local`, or an empty node.
pugi::xml_node child(pugi::xml_node node, const char *local);
// `child` along a path of local names.
pugi::xml_node path(pugi::xml_node node, std::initializer_list<const char *> locals);

struct Fault {
   std::string code;            // the EWS ResponseCode (ErrorServerBusy), else faultcode without prefix
   std::string text;            // faultstring
   long long back_off_ms = -1;  // MessageXml BackOffMilliseconds, when given
};

struct ResponseMessage {
   std::string response_class;  // Success, Warning, Error
   std::string code;            // ResponseCode, e.g. NoError, ErrorNonExistentMailbox
   std::string text;            // MessageText
   long long back_off_ms = -1;
   pugi::xml_node node;
};

struct Response {
   // The body the document was parsed from, in place: the document's text points into it.
   std::string source;
   pugi::xml_document document;
   std::string server_version;  // "15.20.7452.31 (V2018_01_08)", or ""
   std::optional<Fault> fault;
   std::vector<ResponseMessage> messages;
};

// Parses a SOAP response body, kept in `response.source` and parsed there in place (no copy of
// a megabyte listing). Returns false when it is not a SOAP envelope.
bool parse_response(std::string body, Response &response);

}  // namespace email::ews
