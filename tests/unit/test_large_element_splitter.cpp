// A GetItem answer split into a skeleton and its MimeContent's place (ews/large_element_splitter.h),
// fed as a connection delivers it: in pieces of any size.
#include <doctest/doctest.h>

#include "ews/ews_soap.h"
#include "ews/large_element_splitter.h"
#include "util/failure.h"

using namespace email;
using Splitter = ews::LargeElementSplitter;

namespace {

const std::string kHead =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope "
    "xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><m:GetItemResponse "
    "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
    "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><m:ResponseMessages>"
    "<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
    "<m:Items><t:Message><t:MimeContent CharacterSet=\"UTF-8\">";
const std::string kTail =
    "</t:MimeContent><t:ItemId Id=\"AAk=\" ChangeKey=\"CQA=\"/></t:Message></m:Items>"
    "</m:GetItemResponseMessage></m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>";

// Feeds `text` in pieces of `piece` bytes.
Splitter split(const std::string &text, std::size_t piece) {
   Splitter splitter("MimeContent");
   for (std::size_t at = 0; at < text.size(); at += piece)
      splitter.feed(std::string_view(text).substr(at, piece));
   splitter.finish();
   return splitter;
}

std::string failure_of(const std::string &text, std::size_t piece = 7) {
   try {
      split(text, piece);
   } catch (const Failure &failure) {
      return failure.what();
   }
   return "";
}

}  // namespace

TEST_SUITE("ews") {

TEST_CASE("the MimeContent's text is left out of the skeleton and found where it lies, in any pieces") {
   std::string base64;
   for (int i = 0; i < 2000; ++i) base64 += "RnJvbTogYQ0KU3ViamVjdDogYg0K\r\n";
   const std::string whole = kHead + base64 + kTail;
   for (std::size_t piece :
        {std::size_t(1), std::size_t(3), std::size_t(64), std::size_t(4096), whole.size()}) {
      CAPTURE(piece);
      const Splitter splitter = split(whole, piece);
      CHECK(splitter.skeleton() == kHead + kTail);
      REQUIRE(splitter.text());
      CHECK(splitter.text()->offset == kHead.size());
      CHECK(whole.substr(splitter.text()->offset, splitter.text()->length) == base64);
   }
   // The skeleton is an EWS answer whose MimeContent is empty.
   ews::Response response;
   REQUIRE(ews::parse_response(split(whole, 100).skeleton(), response));
   REQUIRE(response.messages.size() == 1);
   const pugi::xml_node mime =
       ews::child(ews::path(response.messages[0].node, {"Items"}).first_child(), "MimeContent");
   CHECK(mime);
   CHECK_FALSE(mime.first_child());
}

TEST_CASE("what is not the element is kept: other names, end tags, comments, an empty element, an error") {
   const std::string look_alikes =
       "<a><t:MimeContentType>x</t:MimeContentType><!-- <t:MimeContent> --></MimeContent><?MimeContent?>"
       "<t:MimeContent/></a>";
   const Splitter splitter = split(look_alikes, 5);
   CHECK(splitter.skeleton() == look_alikes);
   CHECK_FALSE(splitter.text());
   // Without a prefix, and with an empty text.
   const Splitter bare = split("<MimeContent\n>abc</MimeContent><x/>", 2);
   CHECK(bare.skeleton() == "<MimeContent\n></MimeContent><x/>");
   REQUIRE(bare.text());
   CHECK(bare.text()->length == 3);
   const Splitter empty = split("<t:MimeContent></t:MimeContent>", 1);
   REQUIRE(empty.text());
   CHECK(empty.text()->length == 0);
   // An error answer has no MimeContent: it is all skeleton.
   const std::string error =
       "<s:Envelope><s:Body><m:GetItemResponseMessage "
       "ResponseClass=\"Error\"><m:ResponseCode>ErrorItemNotFound"
       "</m:ResponseCode></m:GetItemResponseMessage></s:Body></s:Envelope>";
   CHECK(split(error, 13).skeleton() == error);
   CHECK_FALSE(split(error, 13).text());
}

TEST_CASE("a second MimeContent, an answer that ends inside it, or a large skeleton is refused") {
   CHECK(failure_of("<t:MimeContent>YQ==</t:MimeContent><t:MimeContent>Yg==</t:MimeContent>")
             .find("more than one MimeContent") != std::string::npos);
   CHECK(failure_of(kHead + "YWJj").find("ended inside its MimeContent") != std::string::npos);
   const std::string large = "<a>" + std::string(Splitter::kMaxSkeletonBytes, 'x') + "</a>";
   CHECK(failure_of(large, 65536).find("more than 1024 KiB besides its MimeContent") != std::string::npos);
   // The text itself may be far larger than the skeleton's limit.
   const std::string big =
       "<t:MimeContent>" + std::string(3 * Splitter::kMaxSkeletonBytes, 'Q') + "</t:MimeContent>";
   CHECK(split(big, 65536).text()->length == 3 * Splitter::kMaxSkeletonBytes);
   // A start tag longer than the splitter reads is not the element: its text stays in the
   // skeleton, which the caller finds not empty.
   const std::string long_tag = "<t:MimeContent a=\"" + std::string(2000, 'v') + "\">YQ==</t:MimeContent>";
   CHECK(split(long_tag, 100).skeleton() == long_tag);
}

}  // TEST_SUITE("ews")
