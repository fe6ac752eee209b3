// JsonWriter (util/json_writer.h) in both its forms: into a string, and streamed in pieces to a
// sink through one buffer that never grows; and the search page written that way
// (mailbox/mailbox_json.h: write_search_page).
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <set>
#include <string>
#include <vector>

#include "mailbox/mailbox_json.h"
#include "util/json_writer.h"

using email::JsonOutput;
using email::JsonWriter;

namespace {

struct Pieces {
   std::string text;
   std::vector<std::size_t> sizes;
   std::set<const char *> buffers;  // where each piece began: one buffer, never moved
   email::JsonPieceSink sink() {
      return [this](std::string_view piece) {
         text.append(piece);
         sizes.push_back(piece.size());
         buffers.insert(piece.data());
      };
   }
};

void write_members(JsonWriter &json, const std::string &long_text, int count) {
   json.begin_array("items");
   for (int i = 0; i < count; ++i)
      json.begin_element()
          .number("n", static_cast<std::uint64_t>(i))
          .string("text", i % 50 == 7 ? long_text : "plain \"quoted\" \x01 control")
          .boolean("odd", i % 2)
          .string_or_null("maybe", i % 3 ? "" : "x")
          .end_object();
   json.end_array();
}

email::SearchPage page_of(std::size_t count) {
   email::SearchPage page;
   for (std::size_t i = 0; i < count; ++i) {
      email::MessageSummary m;
      m.ref = "imap:INBOX:7:" + std::to_string(i);
      m.folder = "INBOX";
      m.subject = i == 500 ? std::string(100000, '\x1f') : "見積書 no. " + std::to_string(i);
      m.from = email::MailAddress{"Ann", "ann@example.com"};
      m.to = {{"", "bob@example.com"}, {"Carol \"C\"", "carol@example.com"}};
      m.date = "2026-12-06T10:00:00Z";
      m.size = 1000 + i;
      m.seen = i % 2;
      m.message_id = "<" + std::to_string(i) + "@example.com>";
      if (i % 3 == 0) m.attachments = std::vector<email::AttachmentInfo>{{0, "a.pdf", "application/pdf", 9}};
      page.messages.push_back(std::move(m));
   }
   page.next_cursor = "cursor";
   page.total = count + 5;
   return page;
}

}  // namespace

TEST_CASE("JsonWriter streamed: the same text as in a string, in pieces from one buffer") {
   const std::string long_text(300000, '\n');  // escaped to 600,000 bytes: one value past a piece
   JsonWriter whole;
   write_members(whole, long_text, 2000);
   const std::string expected = whole.finish();

   Pieces pieces;
   JsonWriter streamed(pieces.sink(), long_text.size());
   write_members(streamed, long_text, 2000);
   CHECK(streamed.finish().empty());

   CHECK(pieces.text == expected);
   CHECK(pieces.sizes.size() > 10);
   CHECK(pieces.buffers.size() == 1);
   for (std::size_t size : pieces.sizes) CHECK(size <= JsonOutput::kPieceSize + 6 * long_text.size() + 64);
   rapidjson::Document parsed;
   parsed.Parse(pieces.text.data(), pieces.text.size());
   REQUIRE_FALSE(parsed.HasParseError());
   CHECK(parsed["items"].Size() == 2000);
   CHECK(parsed["items"][7]["text"].GetStringLength() == long_text.size());
}

TEST_CASE("JsonWriter streamed: a small text is one piece, an empty sink call never comes") {
   Pieces pieces;
   JsonWriter json(pieces.sink(), 10);
   json.string("a", "b");
   json.finish();
   CHECK(pieces.text == R"({"a":"b"})");
   CHECK(pieces.sizes.size() == 1);
}

TEST_CASE("search page: streamed from one buffer, every summary there, a long subject whole") {
   const email::SearchPage page = page_of(1000);
   Pieces pieces;
   email::write_search_page(page, pieces.sink());
   CHECK(pieces.buffers.size() == 1);
   CHECK(pieces.sizes.size() > 1);  // the buffer holds 6 bytes per byte of the long subject
   rapidjson::Document parsed;
   parsed.Parse(pieces.text.data(), pieces.text.size());
   REQUIRE_FALSE(parsed.HasParseError());
   REQUIRE(parsed["messages"].Size() == 1000);
   CHECK(std::string(parsed["messages"][999]["ref"].GetString()) == "imap:INBOX:7:999");
   CHECK(parsed["messages"][500]["subject"].GetStringLength() == 100000);
   CHECK(std::string(parsed["messages"][1]["subject"].GetString()) == "見積書 no. 1");
   CHECK(std::string(parsed["messages"][0]["to"][1]["name"].GetString()) == "Carol \"C\"");
   CHECK(parsed["messages"][3]["attachments"][0]["size"].GetUint() == 9);
   CHECK(parsed["messages"][4]["attachments"].IsNull());
   CHECK(std::string(parsed["next_cursor"].GetString()) == "cursor");
   CHECK(parsed["total"].GetUint() == 1005);
}
