// The EWS requests that send (ews/ews_send_requests.h), against Microsoft's CreateItem and
// SendItem references and the schema's element order (MimeContent, ExtendedProperty, then
// BccRecipients).
#include <doctest/doctest.h>

#include <rpa_common/base64.h>

#include "ews/ews_send_requests.h"

using namespace email;

namespace {

bool has(const std::string &text, const std::string &fragment) {
   return text.find(fragment) != std::string::npos;
}

pugi::xml_node body_of(pugi::xml_document &document, const std::string &xml) {
   REQUIRE(document.load_string(xml.c_str()));
   return document.child("soap:Envelope").child("soap:Body");
}

const std::string kMime = "From: a@contoso.com\r\nTo: b@contoso.com\r\nSubject: x\r\n\r\nbody <&>\r\n";

}  // namespace

TEST_SUITE("ews") {

TEST_CASE("a send with a copy: SendAndSaveCopy into sentitems, the MIME, then the blind copies") {
   const std::string xml =
       ews::send_message_request({"Exchange2016", "", ""}, kMime, {"x@contoso.com", "y&z@contoso.com"}, true);
   pugi::xml_document document;
   pugi::xml_node create = body_of(document, xml).child("m:CreateItem");
   CHECK(std::string(create.attribute("MessageDisposition").value()) == "SendAndSaveCopy");
   CHECK(std::string(
             create.child("m:SavedItemFolderId").child("t:DistinguishedFolderId").attribute("Id").value()) ==
         "sentitems");
   CHECK(xml.find("SavedItemFolderId") < xml.find("m:Items"));
   pugi::xml_node message = create.child("m:Items").child("t:Message");
   auto decoded = rpa::base64_decode(message.child("t:MimeContent").child_value());
   REQUIRE(decoded);
   CHECK(std::string(decoded->view()) == kMime);
   CHECK(std::string(message.first_child().name()) == "t:MimeContent");
   CHECK(std::string(message.last_child().name()) == "t:BccRecipients");
   CHECK(
       has(xml,
           "<t:BccRecipients><t:Mailbox><t:EmailAddress>x@contoso.com</t:EmailAddress></t:Mailbox>"
           "<t:Mailbox><t:EmailAddress>y&amp;z@contoso.com</t:EmailAddress></t:Mailbox></t:BccRecipients>"));
}

TEST_CASE("a send without a copy: SendOnly, no folder, no BccRecipients when there are none") {
   const std::string xml = ews::send_message_request({"Exchange2016", "", ""}, kMime, {}, false);
   CHECK(has(xml, "<m:CreateItem MessageDisposition=\"SendOnly\"><m:Items><t:Message><t:MimeContent>"));
   CHECK_FALSE(has(xml, "SavedItemFolderId"));
   CHECK_FALSE(has(xml, "BccRecipients"));
}

TEST_CASE("delegate access: the copy and the draft go to the other mailbox's folders") {
   const ews::RequestHeader shared{"Exchange2016", "", "sales@contoso.com"};
   CHECK(
       has(ews::send_message_request(shared, kMime, {}, true),
           "<m:SavedItemFolderId><t:DistinguishedFolderId Id=\"sentitems\"><t:Mailbox><t:EmailAddress>"
           "sales@contoso.com</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId></m:SavedItemFolderId>"));
   const std::string draft = ews::draft_request(shared, kMime, {"x@contoso.com"});
   pugi::xml_document document;
   pugi::xml_node create = body_of(document, draft).child("m:CreateItem");
   CHECK(std::string(create.attribute("MessageDisposition").value()) == "SaveOnly");
   CHECK(has(draft, "<t:DistinguishedFolderId Id=\"drafts\"><t:Mailbox><t:EmailAddress>sales@contoso.com"));
   pugi::xml_node message = create.child("m:Items").child("t:Message");
   std::vector<std::string> order;
   for (pugi::xml_node child : message.children()) order.emplace_back(child.name());
   CHECK(order == std::vector<std::string>{"t:MimeContent", "t:ExtendedProperty", "t:BccRecipients"});
   pugi::xml_node flags = message.child("t:ExtendedProperty");
   CHECK(std::string(flags.child("t:ExtendedFieldURI").attribute("PropertyTag").value()) == "0x0E07");
   CHECK(std::string(flags.child("t:Value").child_value()) == "8");  // MSGFLAG_UNSENT: a draft
}

TEST_CASE("SendItem sends the draft by its id and change key, without a copy") {
   const std::string xml = ews::send_item_request({"Exchange2016", "", ""}, "AAMk+a=", "CQAA\"=");
   CHECK(has(xml,
             "<m:SendItem SaveItemToFolder=\"false\"><m:ItemIds><t:ItemId Id=\"AAMk+a=\" "
             "ChangeKey=\"CQAA&quot;=\"/></m:ItemIds></m:SendItem>"));
}
}  // TEST_SUITE("ews")
