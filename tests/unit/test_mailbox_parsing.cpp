// The mailbox interface's parsers, alone: IMAP values and FETCH data (BODYSTRUCTURE to
// attachments with RFC 2231 and RFC 2047 names), UID sets, COPYUID/APPENDUID, references, search
// queries, and header summaries decoded by GMime.
#include <doctest/doctest.h>

#include <string>

#include "graph/graph_json.h"
#include "imap/imap_fetch.h"
#include "imap/imap_mailbox.h"
#include "mailbox/folder_roles.h"
#include "mailbox/mailbox_json.h"
#include "mime/header_summary.h"
#include "session/watch_entry_points.h"
#include "util/failure.h"

using namespace email;
using namespace email::imap;

TEST_SUITE("mailbox parsing") {

TEST_CASE("IMAP values: atoms, strings, literals, NIL, nested lists, sections with spaces") {
   auto values = parse_values(
       "UID 7 FLAGS (\\Seen $Label) BODY[HEADER.FIELDS (DATE FROM)] {5}\r\nab\"c) X NIL \"q\\\"s\"");
   REQUIRE(values.size() == 9);
   CHECK(values[1].number() == 7);
   CHECK(values[3].items.size() == 2);
   CHECK(values[3].items[0].str() == "\\Seen");
   CHECK(values[4].str() == "BODY[HEADER.FIELDS (DATE FROM)]");
   CHECK(values[5].str() == "ab\"c)");
   CHECK(values[6].str() == "X");
   CHECK(values[7].is_nil());
   CHECK(values[8].str() == "q\"s");
   CHECK(parse_values("NIL")[0].is_nil());
   CHECK(parse_values("(a (b (c)))")[0].at(1).at(1).at(0).str() == "c");
   CHECK_THROWS_AS(parse_values("(a (b"), std::invalid_argument);
   CHECK_THROWS_AS(parse_values("{10}\r\nshort"), std::invalid_argument);
   CHECK_THROWS_AS(parse_values(std::string(100, '(')), std::invalid_argument);  // too deep
   CHECK_THROWS_AS(parse_values(")"), std::invalid_argument);
}

TEST_CASE(
    "FETCH: flags, size, header and the attachments of Dovecot's BODYSTRUCTURE - RFC 2231 and RFC 2047 "
    "names") {
   const std::string data =
       "(UID 2 FLAGS (\\Flagged) RFC822.SIZE 3931 BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" "
       "\"iso-2022-jp\") NIL "
       "NIL \"7bit\" 56 1 NIL NIL NIL NIL)(\"application\" \"pdf\" NIL NIL NIL \"base64\" 2826 NIL "
       "(\"attachment\" "
       "(\"filename*\" \"utf-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf\")) NIL NIL)(\"application\" "
       "\"vnd.ms-excel\" "
       "(\"name\" \"=?utf-8?b?6KuL5rGC5pu4Lnhsc3g=?=\") NIL NIL \"base64\" 18 NIL (\"attachment\" NIL) NIL "
       "NIL)(\"image\" "
       "\"png\" (\"name\" \"logo.png\") \"<logo>\" NIL \"base64\" 78 NIL (\"inline\" NIL) NIL NIL) \"mixed\" "
       "(\"boundary\" "
       "\"b\") NIL NIL NIL) BODY[HEADER.FIELDS (DATE FROM TO CC SUBJECT MESSAGE-ID)] {29}\r\nSubject: "
       "=?UTF-8?B?5pel?=\r\n\r\n)";
   FetchedItems items = parse_fetch(data);
   CHECK(items.uid == 2);
   CHECK(items.has_flag("\\flagged"));
   CHECK(items.size == 3931u);
   REQUIRE(items.header);
   CHECK(mime::summarize_headers(*items.header).subject == "日");
   REQUIRE(items.attachments);
   REQUIRE(items.attachments->size() == 2);  // the inline logo is not an attachment
   CHECK((*items.attachments)[0].name == "見積書.pdf");
   CHECK((*items.attachments)[0].size == 2826u * 57 / 78);
   CHECK((*items.attachments)[1].name == "請求書.xlsx");
   CHECK((*items.attachments)[1].index == 1);
   CHECK((*items.attachments)[1].content_type == "application/vnd.ms-excel");
   CHECK_THROWS_AS(parse_fetch("UID 5"), std::invalid_argument);
}

TEST_CASE(
    "FETCH read item by item: unknown items skipped unbuilt, the header copied, refusals as the tree's") {
   const std::string data =
       "(X-GM-LABELS (\"a\" (b {3}\r\n)x))) UID 12 MODSEQ (77) FLAGS (\\Seen) RFC822.SIZE 99 "
       "BODY[HEADER.FIELDS (SUBJECT)] \"Subject: \\\"q\\\"\" \"UID\" 13 ENVELOPE NIL RFC822.HEADER NIL "
       "TRAILING)";
   const FetchedItems items = parse_fetch(data);
   CHECK(items.uid == 13);  // the last of a name, a quoted name read as the tree reads it
   CHECK(items.flags == std::vector<std::string>{"\\Seen"});
   CHECK(items.size == 99u);
   REQUIRE(items.header);
   CHECK(items.header->empty());  // RFC822.HEADER NIL came last
   const FetchedItems quoted = parse_fetch("(BODY[HEADER] \"Subject: \\\"q\\\"\" UID x)");
   CHECK(*quoted.header == "Subject: \"q\"");
   CHECK(quoted.uid == 0);  // not a number
   CHECK(parse_fetch("(BODY[HEADER] ~{4}\r\nab)c)").header == std::optional<std::string>("ab)c"));
   CHECK(parse_fetch("()").uid == 0);
   CHECK(*parse_fetch("(RFC822.HEADER atom)").header == "atom");  // any text, as Value::is_text
   // One plain part is read without a tree; anything the rule must weigh goes to the tree.
   const char *no_attachment[] = {
       "(BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 19 1 NIL NIL NIL NIL))",
       "(BODYSTRUCTURE (\"image\" \"png\" NIL NIL NIL \"base64\" 78 NIL (\"inline\" NIL) NIL NIL))",
       "(BODYSTRUCTURE (\"text\" \"html\" NIL NIL NIL \"7bit\" 19 1 NIL))"};
   for (const char *body : no_attachment) {
      CAPTURE(body);
      REQUIRE(parse_fetch(body).attachments);
      CHECK(parse_fetch(body).attachments->empty());
   }
   const char *one_attachment[] = {
       "(BODYSTRUCTURE (\"application\" \"pdf\" (\"NAME\" \"a.pdf\") NIL NIL \"base64\" 78 NIL NIL NIL NIL))",
       "(BODYSTRUCTURE (\"application\" \"pdf\" (\"name*\" \"utf-8''a.pdf\") NIL NIL \"base64\" 78 NIL NIL))",
       "(BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 19 1 NIL (\"attachment\" NIL) NIL NIL))",
       "(BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 9 (NIL \"Hi\" NIL NIL NIL NIL NIL NIL "
       "NIL "
       "NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 2 1) 1 NIL NIL NIL NIL))"};
   for (const char *body : one_attachment) {
      CAPTURE(body);
      REQUIRE(parse_fetch(body).attachments);
      CHECK(parse_fetch(body).attachments->size() == 1);
   }
   for (const char *refused :
        {"(UID 5", "(UID 5) x", "(UID 5))", "UID 5", "(UID {9}\r\nshort)", "(A \"open)", "(A [x)", ""})
      CHECK_THROWS_AS(parse_fetch(refused), std::invalid_argument);
   CHECK_THROWS_AS(parse_fetch("(A " + std::string(45, '(') + std::string(45, ')') + ")"),
                   std::invalid_argument);  // nested too deep, even where skipped
   std::string many = "(A (";
   for (int i = 0; i < 100001; ++i) many += "x ";
   CHECK_THROWS_AS(parse_fetch(many + "))"), std::invalid_argument);  // too many values, even skipped
}

TEST_CASE("an attached message is one attachment named by its subject") {
   auto values = parse_values(
       "((\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1 NIL NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL NIL "
       "\"7bit\" 233 "
       "(\"date\" \"=?UTF-8?B?5pel5pys?=\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL "
       "\"7bit\" 25 "
       "1 NIL NIL NIL NIL) 9 NIL NIL NIL NIL) \"mixed\")");
   auto attachments = attachments_of(values.at(0));
   REQUIRE(attachments.size() == 1);
   CHECK(attachments[0].name == "日本.eml");
   CHECK(attachments[0].content_type == "message/rfc822");
}

TEST_CASE("an attachment's body section: nested multiparts, a single-part message, an attached message") {
   // mixed( alternative( text, html ), related( html, image attachment ), pdf, message/rfc822 )
   auto nested = parse_values(
       "(((\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1 NIL NIL NIL NIL)(\"text\" \"html\" NIL NIL NIL "
       "\"7bit\" 9 1 "
       "NIL NIL NIL NIL) \"alternative\")((\"text\" \"html\" NIL NIL NIL \"quoted-printable\" 9 1 NIL NIL "
       "NIL NIL)"
       "(\"image\" \"png\" (\"name\" \"chart.png\") NIL NIL \"base64\" 78 NIL (\"attachment\" NIL) NIL NIL) "
       "\"related\")(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"BASE64\" 78 NIL NIL NIL NIL)"
       "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 233 (\"date\" \"Hi\" NIL NIL NIL NIL NIL NIL NIL NIL) "
       "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 25 1 NIL NIL NIL NIL) 9 NIL NIL NIL NIL) \"mixed\")");
   auto parts = attachment_parts_of(nested.at(0));
   REQUIRE(parts.size() == 3);
   CHECK(parts[0].info.name == "chart.png");
   CHECK(parts[0].section == "2.2");
   CHECK(parts[0].encoding == "base64");
   CHECK(parts[1].section == "3");
   CHECK(parts[1].encoding == "base64");  // in lower case
   CHECK_FALSE(parts[1].attached_message);
   CHECK(parts[2].section == "4");
   CHECK(parts[2].attached_message);
   // A message that is one attachment and nothing else: its body is section 1.
   auto single = parse_values(
       "(\"application\" \"zip\" (\"name\" \"all.zip\") NIL NIL \"base64\" 780 NIL (\"attachment\" NIL) NIL "
       "NIL)");
   auto alone = attachment_parts_of(single.at(0));
   REQUIRE(alone.size() == 1);
   CHECK(alone[0].section == "1");
   // parse_fetch gives the sections only when asked.
   const std::string data =
       "(UID 9 BODYSTRUCTURE (\"application\" \"zip\" (\"name\" \"all.zip\") NIL NIL "
       "\"base64\" 780 NIL (\"attachment\" NIL) NIL NIL))";
   CHECK(parse_fetch(data).attachment_parts.empty());
   REQUIRE(parse_fetch(data, true).attachment_parts.size() == 1);
   CHECK(parse_fetch(data, true).attachment_parts[0].info.name == "all.zip");
}

TEST_CASE("UID sets, SEARCH data, COPYUID and APPENDUID") {
   CHECK(uid_set({1, 2, 3, 5, 7, 8}) == "1:3,5,7:8");
   CHECK(uid_set({42}) == "42");
   CHECK(parse_search("3 5 x 8") == std::vector<std::uint64_t>{3, 5, 8});
   auto copied = parse_uidplus_code("COPYUID 38505 304,319:320 3956:3958");
   REQUIRE(copied);
   CHECK(copied->uidvalidity == 38505);
   CHECK(copied->source == std::vector<std::uint64_t>{304, 319, 320});
   CHECK(copied->destination == std::vector<std::uint64_t>{3956, 3957, 3958});
   auto appended = parse_uidplus_code("APPENDUID 7 12");
   REQUIRE(appended);
   CHECK(appended->destination == std::vector<std::uint64_t>{12});
   CHECK_FALSE(parse_uidplus_code("COPYUID 1 1:999999999 1"));  // a range too large to expand
   CHECK_FALSE(parse_uidplus_code("UIDNEXT 5"));
   CHECK(search_date({2026, 12, 1}) == "1-Dec-2026");
}

TEST_CASE("IMAP references keep UIDVALIDITY, UID and the folder's wire name - others are refused") {
   const std::string ref = ImapMailbox::make_ref({1796040816, 42, "Project X/a:b"});
   CHECK(ref == "imap:1796040816:42:Project X/a:b");
   auto parsed = ImapMailbox::parse_ref(ref);
   CHECK(parsed.uidvalidity == 1796040816);
   CHECK(parsed.uid == 42);
   CHECK(parsed.wire_name == "Project X/a:b");
   for (const char *bad : {"pop3:abc", "imap:1:0:INBOX", "imap:1:2:", "imap:x:2:INBOX", "imap:1"}) {
      CAPTURE(std::string(bad));
      CHECK_THROWS_AS(ImapMailbox::parse_ref(bad), Failure);
   }
}

TEST_CASE("search queries: every member read - a wrong one named") {
   SearchQuery query = parse_search_query(
       R"({"seen":false,"flagged":true,"since":"2026-11-10","before":"2026-12-01","from":"a","to":"b",)"
       R"("subject":"見積","has_attachments":true,"order":"oldest","limit":5,"cursor":"1:2"})");
   CHECK(query.seen == false);
   CHECK(query.flagged == true);
   CHECK(query.since->day == 10);
   CHECK(query.since->year == 2026);
   CHECK(query.since->month == 11);
   CHECK(query.before->year == 2026);
   CHECK(query.before->month == 12);
   CHECK(query.before->day == 1);
   CHECK(query.from == "a");
   CHECK(query.to == "b");
   CHECK(query.has_attachments == true);
   CHECK(query.subject == "見積");
   CHECK_FALSE(query.newest_first);
   CHECK(query.limit == 5);
   CHECK(query.cursor == "1:2");
   CHECK(parse_search_query(nullptr).limit == 100);
   auto refused = [](const char *json) {
      try {
         parse_search_query(json);
      } catch (const Failure &failure) {
         CHECK(failure.status() == RPA_INVALID_PROPERTIES);
         return std::string(failure.what());
      }
      return std::string("accepted");
   };
   CHECK(refused(R"({"since":"2026-02-30"})") ==
         "search query: since is not a calendar date: \"2026-02-30\"");
   CHECK(refused(R"({"limit":0})") == "search query: limit must be a number from 1 to 10000");
   CHECK(refused(R"({"seen":"yes"})") == "search query: seen must be true or false");
   CHECK(refused(R"({"colour":"red"})").rfind("search query: colour is not a search member", 0) == 0);
   CHECK(refused(R"({"order":"random"})") == "search query: order must be \"newest\" or \"oldest\"");
   CHECK(refused("[1]") == "search query: is not a JSON object");
   CHECK(refused("{") == "search query: is not JSON (Missing a name for object member. at byte 1)");
   // A sibling's query is read with the host's one bounded reader: 300,000 levels are refused,
   // never recursed into.
   const std::string deep = std::string(300000, '[') + std::string(300000, ']');
   CHECK(refused(deep.c_str()) == "search query: is not JSON (nested deeper than 64 levels at byte 64)");
   const std::string deep_member = "{\"from\":" + std::string(300000, '[') + std::string(300000, ']') + "}";
   CHECK(refused(deep_member.c_str()).rfind("search query: is not JSON (nested deeper than 64 levels", 0) ==
         0);
   // Unset members stay unset.
   SearchQuery empty = parse_search_query("{}");
   CHECK_FALSE(empty.seen);
   CHECK_FALSE(empty.flagged);
   CHECK_FALSE(empty.has_attachments);
   CHECK_FALSE(empty.since);
   CHECK(empty.from.empty());
   CHECK(empty.to.empty());
   CHECK(empty.newest_first);
}

TEST_CASE(
    "header summaries: RFC 2047 in ISO-2022-JP - address lists and groups - dates in their own offset") {
   auto summary = mime::summarize_headers(
       "From: =?iso-2022-jp?b?GyRCOzNFREJATzobKEI=?= <yamada@example.co.jp>\r\n"
       "To: a@example.com, Team: b@example.com, \"C, D\" <c@example.com>;\r\n"
       "Subject: =?iso-2022-jp?b?GyRCOCtAUT1xJE4kNEF3SVUbKEI=?=\r\n"
       "Date: Thu, 05 Nov 2026 10:30:00 +0900\r\nMessage-ID: <m@x>\r\n");
   CHECK(summary.subject == "見積書のご送付");
   REQUIRE(summary.from);
   CHECK(summary.from->name == "山田太郎");
   CHECK(summary.from->address == "yamada@example.co.jp");
   REQUIRE(summary.to.size() == 3);
   CHECK(summary.to[2].name == "C, D");
   CHECK(summary.date == "2026-11-05T10:30:00+09:00");
   CHECK(summary.day->day == 5);
   CHECK(summary.message_id == "<m@x>");
   auto empty = mime::summarize_headers("garbage without a colon");
   CHECK(empty.subject.empty());
   CHECK_FALSE(empty.from);
   CHECK(empty.date.empty());
}

TEST_CASE("folder roles: attributes first - well-known names only for roles nobody claims") {
   CHECK(role_from_attributes({"\\HasNoChildren", "\\Sent"}) == "sent");
   CHECK(role_from_attributes({"\\AllMail"}) == "archive");
   std::vector<FolderInfo> folders(4);
   folders[0].path = folders[0].name = "INBOX";
   folders[1].path = folders[1].name = "Sent Items";
   folders[2].path = folders[2].name = "Trash";
   folders[2].role = "";
   folders[3].path = folders[3].name = "Papierkorb";
   folders[3].role = "trash";
   assign_roles_by_name(folders);
   CHECK(folders[0].role == "inbox");
   CHECK(folders[1].role == "sent");
   CHECK(folders[2].role.empty());  // the trash role is claimed by attribute
}

}  // TEST_SUITE("mailbox parsing")

TEST_SUITE("graph json") {

TEST_CASE("Graph error bodies and folder pages - anything else is refused or empty") {
   auto error = email::graph::parse_error(
       R"({"error":{"code":"MailboxNotEnabledForRESTAPI","message":"The mailbox is either inactive\r\n or on-premise."}})");
   CHECK(error.code == "MailboxNotEnabledForRESTAPI");
   CHECK(error.message ==
         "The mailbox is either inactive   or on-premise.");  // control characters made spaces
   CHECK(email::graph::parse_error("<html>502</html>").code.empty());
   CHECK(email::graph::parse_error(R"({"error":"text"})").code.empty());
   auto page = email::graph::parse_folder_page(
       R"({"value":[{"id":"A","displayName":"Inbox","childFolderCount":2},{"id":"B"},{"displayName":"C"},7,)"
       R"({"id":"D","displayName":"日本語"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/me/mailFolders?$skip=10"})");
   REQUIRE(page.folders.size() == 2);
   CHECK(page.folders[0].has_children);
   CHECK(page.folders[1].display_name == "日本語");
   CHECK_FALSE(page.folders[1].has_children);
   CHECK(page.next_link == "https://graph.microsoft.com/v1.0/me/mailFolders?$skip=10");
   CHECK(email::graph::parse_folder_page(R"({"value":[]})").next_link.empty());
   CHECK_THROWS_AS(email::graph::parse_folder_page(R"({"values":[]})"), std::invalid_argument);
   CHECK_THROWS_AS(email::graph::parse_folder_page("[]"), std::invalid_argument);
   CHECK(email::graph::parse_id(R"({"@odata.context":"x","id":"AAMkAG"})") == "AAMkAG");
   CHECK(email::graph::parse_id("[1]").empty());
   const auto inbox = email::graph::parse_folder(
       R"({"id":"A","displayName":"Inbox","parentFolderId":"R","childFolderCount":1,"totalItemCount":9})");
   CHECK(inbox.id == "A");
   CHECK(inbox.display_name == "Inbox");
   CHECK(inbox.parent_id == "R");
   CHECK(inbox.has_children);
   CHECK(email::graph::parse_folder(R"({"id":"A"})").id.empty());  // no name: no folder
   CHECK(email::graph::parse_folder(R"({"id":"A","displayName":7})").id.empty());
   CHECK(email::graph::parse_folder("[]").id.empty());
   CHECK(email::graph::parse_folder("not json").id.empty());
}

TEST_CASE("Graph answers nested 300,000 deep are not parsed - nothing recurses - what arrived is described") {
   const std::string open(300000, '['), close(300000, ']');
   const std::string deep_array = open + close;
   std::string deep_error = "{\"error\":";
   for (int i = 0; i < 300000; ++i) deep_error += "{\"innerError\":";
   deep_error += "{}" + std::string(300000, '}') + "}";
   CHECK(email::graph::parse_error(deep_error).code.empty());
   CHECK(email::graph::parse_error(deep_array).code.empty());
   CHECK(email::graph::parse_id(deep_array).empty());
   CHECK(email::graph::parse_id("{\"id\":\"A\",\"x\":" + deep_array + "}").empty());
   CHECK_THROWS_AS(email::graph::parse_folder_page(deep_array), std::invalid_argument);
   CHECK_THROWS_AS(email::graph::parse_folder_page("{\"value\":" + deep_array + "}"), std::invalid_argument);
   CHECK_THROWS_AS(email::graph::parse_message_page("{\"value\":[" + deep_error + "]}"),
                   std::invalid_argument);
   // 60 levels are still read (Graph's own answers nest 5).
   std::string sixty = "{\"id\":\"A\",\"x\":" + std::string(60, '[') + std::string(60, ']') + "}";
   CHECK(email::graph::parse_id(sixty) == "A");
   CHECK(email::graph::describe_body("") == "an empty body");
   CHECK(email::graph::describe_body("[[]]") == "\"[[]]\" (4 bytes)");
   CHECK(email::graph::describe_body(deep_array) == "\"" + std::string(60, '[') + "...\" (600000 bytes)");
   CHECK(email::graph::describe_body("a\r\nb") == "\"a  b\" (4 bytes)");
}

TEST_CASE("Graph message pages: summaries with attachments and size - inline attachments left out") {
   auto page = email::graph::parse_message_page(
       R"({"@odata.count":7,"value":[{"id":"M1","subject":"見積書","sentDateTime":"2026-11-05T01:30:00Z","isRead":false,)"
       R"("flag":{"flagStatus":"flagged"},"internetMessageId":"<m@x>","from":{"emailAddress":{"name":"山田","address":"y@x.jp"}},)"
       R"("toRecipients":[{"emailAddress":{"name":"D","address":"d@x"}}],"ccRecipients":[],)"
       R"("attachments":[{"@odata.type":"#microsoft.graph.fileAttachment","name":"a.pdf","contentType":"application/pdf","size":10,"isInline":false},)"
       R"({"@odata.type":"#microsoft.graph.fileAttachment","name":"logo.png","contentType":"image/png","size":5,"isInline":true},)"
       R"({"@odata.type":"#microsoft.graph.itemAttachment","name":"Notes","size":99,"isInline":false}],)"
       R"("singleValueExtendedProperties":[{"id":"Integer 0xe08","value":"4096"}]},{"subject":"no id"}],)"
       R"("@odata.nextLink":"https://graph.microsoft.com/v1.0/me/messages?$skip=1"})");
   REQUIRE(page.messages.size() == 1);
   const auto &[id, summary] = page.messages.front();
   CHECK(id == "M1");
   CHECK(summary.subject == "見積書");
   CHECK(summary.flagged);
   CHECK_FALSE(summary.seen);
   REQUIRE(summary.from);
   CHECK(summary.from->name == "山田");
   CHECK(summary.from->address == "y@x.jp");
   REQUIRE(summary.to.size() == 1);
   CHECK(summary.to[0].name == "D");
   CHECK(summary.to[0].address == "d@x");
   CHECK(summary.cc.empty());
   CHECK(summary.date == "2026-11-05T01:30:00Z");
   CHECK(summary.message_id == "<m@x>");
   CHECK(summary.size == 4096);
   REQUIRE(summary.attachments->size() == 2);
   CHECK((*summary.attachments)[1].name == "Notes.eml");
   CHECK((*summary.attachments)[1].content_type == "message/rfc822");
   CHECK((*summary.attachments)[1].index == 1);
   CHECK(page.count == 7u);
   CHECK_FALSE(page.next_link.empty());
   CHECK_THROWS_AS(email::graph::parse_message_page("{}"), std::invalid_argument);
}

}  // TEST_SUITE("graph json")

TEST_CASE(
    "a date whose parts are not digits is refused by name, not thrown as something else (a fuzz finding)") {
   for (const char *bad :
        {R"({"before":"2026----30"})", R"({"since":"20-6-12-01"})", R"({"since":"2026-1--01"})"})
      CHECK_THROWS_WITH_AS(parse_search_query(bad), doctest::Contains("must be a date"), Failure);
}

TEST_CASE("a wait's filter: the search members and poll_seconds; limit, order and cursor refused by name") {
   unsigned poll = 60;
   const SearchQuery filter =
       parse_wait_filter(R"({"subject":"Invoice","from":"erin","poll_seconds":15})", poll);
   CHECK(filter.subject == "Invoice");
   CHECK(filter.from == "erin");
   CHECK(poll == 15);
   unsigned untouched = 60;
   (void)parse_wait_filter(nullptr, untouched);
   CHECK(untouched == 60);
   for (const char *bad : {R"({"poll_seconds":0})", R"({"poll_seconds":3601})", R"({"poll_seconds":"5"})"})
      CHECK_THROWS_WITH_AS(parse_wait_filter(bad, poll), doctest::Contains("poll_seconds must be"), Failure);
   for (const char *own : {"limit", "order", "cursor"}) {
      const std::string json = std::string("{\"") + own + "\":1}";
      CHECK_THROWS_WITH_AS(parse_wait_filter(json.c_str(), poll), doctest::Contains(own), Failure);
   }
   CHECK_THROWS_WITH_AS(parse_wait_filter(R"({"colour":1})", poll), doctest::Contains("colour"), Failure);
}
