// ews/xml_pages.h: pugixml's pages are kept when a document goes and taken by the next one.
#include <doctest/doctest.h>
#include <pugixml.hpp>

#include <string>

#include "ews/xml_pages.h"

namespace {

// An answer of `items` elements, each with a few children: several of pugixml's 32 KiB pages.
std::string many_items(int items) {
   std::string xml = "<Items>";
   for (int item = 0; item < items; ++item)
      xml += "<Item Id=\"" + std::to_string(item) + "\"><Subject>s" + std::to_string(item) +
             "</Subject><Size>" + std::to_string(item * 7) + "</Size></Item>";
   return xml + "</Items>";
}

int sum_of_sizes(const pugi::xml_document &document) {
   int sum = 0;
   for (pugi::xml_node item : document.child("Items").children("Item"))
      sum += item.child("Size").text().as_int();
   return sum;
}

}  // namespace

TEST_CASE("pugixml's pages are kept when a document goes, and the next document takes them") {
   email::ews::install_xml_page_cache();  // no document is alive in this process now
   email::ews::drop_kept_xml_pages();
   const std::string xml = many_items(3000);
   int expected = 0;
   for (int item = 0; item < 3000; ++item) expected += item * 7;
   {
      pugi::xml_document first;
      REQUIRE(first.load_string(xml.c_str()));
      CHECK(sum_of_sizes(first) == expected);
      CHECK(email::ews::kept_xml_pages() == 0);  // all in use
   }
   const std::size_t kept = email::ews::kept_xml_pages();
   CHECK(kept > 4);  // 3,000 items: more than a few pages
   CHECK(kept <= email::ews::kKeptXmlPages);
   {
      pugi::xml_document second;
      REQUIRE(second.load_string(xml.c_str()));
      CHECK(sum_of_sizes(second) == expected);  // the reused pages hold the new document whole
      CHECK(email::ews::kept_xml_pages() < kept);
   }
   CHECK(email::ews::kept_xml_pages() == kept);
   email::ews::drop_kept_xml_pages();
   CHECK(email::ews::kept_xml_pages() == 0);
}

TEST_CASE("the kept pages are bounded - a huge document gives back what is past the bound") {
   email::ews::install_xml_page_cache();
   email::ews::drop_kept_xml_pages();
   {
      pugi::xml_document huge;
      REQUIRE(huge.load_string(many_items(60000).c_str()));  // far more than kKeptXmlPages pages
   }
   CHECK(email::ews::kept_xml_pages() == email::ews::kKeptXmlPages);
   email::ews::drop_kept_xml_pages();
}
