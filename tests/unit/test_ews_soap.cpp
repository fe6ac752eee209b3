// EWS SOAP requests and responses, against the shapes in Microsoft's EWS reference, and the
// endpoint rules of the Connect action's Domain name field.
#include <doctest/doctest.h>

#include "ews/ews_endpoint.h"
#include "ews/ews_retirement.h"
#include "ews/ews_soap.h"

using namespace email;

namespace {
bool has(const std::string &text, const std::string &fragment) {
   return text.find(fragment) != std::string::npos;
}
}  // namespace

TEST_SUITE("ews") {

TEST_CASE("GetFolder carries RequestServerVersion and the distinguished folder") {
   const std::string xml = ews::get_folder_request({"Exchange2013_SP1", "", ""}, "inbox");
   pugi::xml_document document;
   REQUIRE(document.load_string(xml.c_str()));
   pugi::xml_node envelope = document.child("soap:Envelope");
   CHECK(std::string(envelope.attribute("xmlns:soap").value()) == ews::kSoapNamespace);
   CHECK(std::string(envelope.attribute("xmlns:t").value()) == ews::kTypesNamespace);
   CHECK(std::string(envelope.attribute("xmlns:m").value()) == ews::kMessagesNamespace);
   CHECK(std::string(
             envelope.child("soap:Header").child("t:RequestServerVersion").attribute("Version").value()) ==
         "Exchange2013_SP1");
   CHECK_FALSE(envelope.child("soap:Header").child("t:ExchangeImpersonation"));
   pugi::xml_node get_folder = envelope.child("soap:Body").child("m:GetFolder");
   CHECK(std::string(get_folder.child("m:FolderShape").child("t:BaseShape").child_value()) == "IdOnly");
   CHECK(std::string(
             get_folder.child("m:FolderIds").child("t:DistinguishedFolderId").attribute("Id").value()) ==
         "inbox");
}

TEST_CASE("app-only requests impersonate the mailbox and escape it") {
   const std::string xml = ews::get_folder_request({"Exchange2016", "a&b@contoso.com", ""}, "inbox");
   CHECK(has(xml,
             "<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>a&amp;b@contoso.com</t:SmtpAddress>"));
}

TEST_CASE("delegate access names the other mailbox in every distinguished folder id") {
   const std::string xml = ews::find_folder_request({"Exchange2016", "", "sales@contoso.com"}, 0, 10);
   CHECK(has(xml,
             "<t:DistinguishedFolderId Id=\"msgfolderroot\"><t:Mailbox><t:EmailAddress>sales@contoso.com"
             "</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>"));
   CHECK_FALSE(has(xml, "ExchangeImpersonation"));
}

TEST_CASE("FindFolder pages deep from msgfolderroot in schema order") {
   const std::string xml = ews::find_folder_request({"Exchange2010", "", ""}, 500, 250);
   CHECK(has(xml, "<m:FindFolder Traversal=\"Deep\"><m:FolderShape>"));
   CHECK(has(xml,
             "<m:IndexedPageFolderView MaxEntriesReturned=\"250\" Offset=\"500\" BasePoint=\"Beginning\"/>"));
   CHECK(xml.find("IndexedPageFolderView") < xml.find("ParentFolderIds"));
   CHECK(has(xml, "<t:DistinguishedFolderId Id=\"msgfolderroot\"/>"));
}

TEST_CASE("a throttling fault gives the code and BackOffMilliseconds") {
   // The shape of Microsoft's "EWS throttling in Exchange" example.
   const std::string body =
       R"(<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>)"
       R"(<s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode>)"
       R"(<faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.</faultstring>)"
       R"(<detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode>)"
       R"(<t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Value Name="BackOffMilliseconds">297749</t:Value></t:MessageXml>)"
       R"(</detail></s:Fault></s:Body></s:Envelope>)";
   ews::Response response;
   REQUIRE(ews::parse_response(body, response));
   REQUIRE(response.fault);
   CHECK(response.fault->code == "ErrorServerBusy");
   CHECK(response.fault->back_off_ms == 297749);
   CHECK(response.fault->text == "The server cannot service this request right now. Try again later.");
}

TEST_CASE("response messages and the server version are read whatever the prefixes") {
   const std::string body =
       R"(<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">)"
       R"(<soap:Header><ServerVersionInfo xmlns="http://schemas.microsoft.com/exchange/services/2006/types" MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" Version="V2017_07_11"/></soap:Header>)"
       R"(<soap:Body><GetFolderResponse xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"><ResponseMessages>)"
       R"(<GetFolderResponseMessage ResponseClass="Error"><MessageText>The SMTP address has no mailbox associated with it.</MessageText>)"
       R"(<ResponseCode>ErrorNonExistentMailbox</ResponseCode><DescriptiveLinkKey>0</DescriptiveLinkKey></GetFolderResponseMessage>)"
       R"(</ResponseMessages></GetFolderResponse></soap:Body></soap:Envelope>)";
   ews::Response response;
   REQUIRE(ews::parse_response(body, response));
   CHECK(response.server_version == "15.1.2507.6 (V2017_07_11)");
   REQUIRE(response.messages.size() == 1);
   CHECK(response.messages[0].response_class == "Error");
   CHECK(response.messages[0].code == "ErrorNonExistentMailbox");
}

TEST_CASE("what is not a SOAP envelope is refused") {
   ews::Response response;
   CHECK_FALSE(ews::parse_response("<html><body>Sign in</body></html>", response));
   CHECK_FALSE(ews::parse_response("not xml at all", response));
   CHECK_FALSE(ews::parse_response("", response));
}

TEST_CASE("the Domain name field: blank and smtp.office365.com mean Office 365") {
   CHECK(means_office365(""));
   CHECK(means_office365("smtp.office365.com"));
   CHECK(means_office365("SMTP.Office365.com"));
   CHECK_FALSE(means_office365("contoso.com"));
   CHECK(std::string(kOffice365EwsUrl) == "https://outlook.office365.com/EWS/Exchange.asmx");
}

TEST_CASE("Exchange Online endpoints carry the EWS retirement warning") {
   CHECK(is_exchange_online_host("outlook.office365.com"));
   CHECK(is_exchange_online_host("OUTLOOK.OFFICE.COM"));
   CHECK_FALSE(is_exchange_online_host("mail.contoso.com"));
   CHECK_FALSE(is_exchange_online_host("localhost"));
   CHECK(exchange_online_cloud("outlook.office365.us") == "usgov");
   CHECK(exchange_online_cloud("webmail.apps.mil") == "usgov_dod");
   CHECK(exchange_online_cloud("partner.outlook.cn") == "china");
   CHECK(exchange_online_cloud("mail.contoso.com").empty());
   const std::string warning = exchange_online_retirement_warning();
   CHECK(has(warning, "1 October 2026"));
   CHECK(has(warning, "1 April 2027"));
   CHECK(has(warning, "connection \"microsoft365\""));
   CHECK(has(warning, "rpa-host migrate"));
   CHECK(url_origin("https://Outlook.Office365.com/EWS/Exchange.asmx") == "https://outlook.office365.com");
   CHECK(url_origin("https://localhost:8443/EWS/Exchange.asmx") == "https://localhost:8443");
}

TEST_CASE(
    "EWS refused with HTTP 403 by Exchange Online names the move to Graph and the permission to grant") {
   const std::string app =
       ews_refused_message("outlook.office365.com:443", "robot@contoso.com", true, EwsSignIn::app_only, "");
   CHECK(has(app, "Exchange Online (outlook.office365.com:443) refuses EWS for \"robot@contoso.com\""));
   CHECK(has(app, "HTTP 403"));
   CHECK(has(app, "connection \"microsoft365\" with the same username, client_id, tenant_id"));
   CHECK(has(app, "application permission Mail.ReadWrite of Microsoft Graph"));
   const std::string user =
       ews_refused_message("outlook.office365.com:443", "john@contoso.com", true, EwsSignIn::delegated, "");
   CHECK(has(user, "delegated permission Mail.ReadWrite of Microsoft Graph"));
   const std::string basic =
       ews_refused_message("outlook.office365.com:443", "john@contoso.com", true, EwsSignIn::basic, "");
   CHECK(has(basic, "register an app in Microsoft Entra ID"));
   const std::string onprem =
       ews_refused_message("mail.contoso.com:443", "john@contoso.com", false, EwsSignIn::basic, "blocked");
   CHECK(has(onprem, "EWS is turned off for this mailbox, this application or the organization"));
   CHECK(has(onprem, "HTTP 403 Forbidden; blocked"));
   CHECK(has(onprem, "If the mailbox is in Exchange Online"));
}

}  // TEST_SUITE("ews")

TEST_SUITE("ews") {

TEST_CASE("mutated SOAP responses never crash the reader") {
   const std::string body =
       R"(<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>)"
       R"(<h:ServerVersionInfo MajorVersion="15" MinorVersion="20" MajorBuildNumber="1" MinorBuildNumber="2" Version="V2018_01_08" xmlns:h="t"/></s:Header><s:Body>)"
       R"(<m:FindFolderResponse xmlns:m="m" xmlns:t="t"><m:ResponseMessages><m:FindFolderResponseMessage ResponseClass="Success">)"
       R"(<m:ResponseCode>NoError</m:ResponseCode><m:RootFolder IndexedPagingOffset="1" TotalItemsInView="1" IncludesLastItemInRange="true">)"
       R"(<t:Folders><t:Folder><t:FolderId Id="a"/><t:ParentFolderId Id="r"/><t:DisplayName>Inbox</t:DisplayName></t:Folder></t:Folders>)"
       R"(</m:RootFolder></m:FindFolderResponseMessage></m:ResponseMessages></m:FindFolderResponse>)"
       R"(<s:Fault><faultcode>a:ErrorServerBusy</faultcode><detail><t:MessageXml><t:Value Name="BackOffMilliseconds">x</t:Value></t:MessageXml></detail></s:Fault>)"
       R"(</s:Body></s:Envelope>)";
   unsigned seed = 12345;
   auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
   int parsed = 0;
   for (int round = 0; round < 20000; ++round) {
      std::string mutated = body;
      for (int edits = 1 + static_cast<int>(next() % 4); edits > 0; --edits) {
         const std::size_t at = next() % mutated.size();
         switch (next() % 3) {
         case 0: mutated[at] = static_cast<char>(next() & 0xff); break;
         case 1: mutated.erase(at, 1 + next() % 16); break;
         default: mutated.insert(at, 1, "<>/\"=:&"[next() % 7]); break;
         }
         if (mutated.empty()) mutated = "<";
      }
      ews::Response response;
      if (ews::parse_response(mutated, response)) ++parsed;
   }
   CHECK(parsed > 0);  // some mutants still parse, and none crashed on the way
}

}  // TEST_SUITE("ews")
