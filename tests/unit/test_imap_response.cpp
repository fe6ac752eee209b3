#include <doctest/doctest.h>

#include "imap/imap_response.h"

using namespace email::imap;

TEST_SUITE("imap") {

TEST_CASE("a greeting with capabilities in its response code") {
   Response r = parse_response("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] Dovecot ready.");
   CHECK(r.kind == Response::Kind::untagged);
   CHECK(r.keyword == "OK");
   CHECK(r.is_status());
   CHECK(r.code == "CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN");
   CHECK(r.text == "Dovecot ready.");
   auto capabilities = capabilities_from_code(r.code);
   REQUIRE(capabilities.size() == 3);
   CHECK(capabilities[2] == "AUTH=PLAIN");
   CHECK(capabilities_from_code("ALERT").empty());
}

TEST_CASE("tagged - continuation and data responses") {
   Response tagged = parse_response("A3 no [AUTHENTICATIONFAILED] Authentication failed.");
   CHECK(tagged.kind == Response::Kind::tagged);
   CHECK(tagged.tag == "A3");
   CHECK(tagged.keyword == "NO");
   CHECK(tagged.code == "AUTHENTICATIONFAILED");
   CHECK(tagged.text == "Authentication failed.");

   Response go = parse_response("+ ");
   CHECK(go.kind == Response::Kind::continuation);
   CHECK(go.text.empty());
   CHECK(parse_response("+ dXNlcg==").text == "dXNlcg==");
   CHECK(parse_response("+").kind == Response::Kind::continuation);

   Response data = parse_response("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED");
   CHECK(data.keyword == "CAPABILITY");
   CHECK_FALSE(data.is_status());
   CHECK(split_atoms(data.text) == std::vector<std::string>{"IMAP4rev1", "STARTTLS", "LOGINDISABLED"});

   Response exists = parse_response("* 23 EXISTS");
   CHECK(exists.keyword == "EXISTS");
   CHECK(exists.number == "23");
   CHECK(exists.text.empty());
   Response fetch = parse_response("* 12 FETCH (UID 7 FLAGS (\\Seen))");
   CHECK(fetch.keyword == "FETCH");
   CHECK(fetch.number == "12");
   CHECK(fetch.text == "(UID 7 FLAGS (\\Seen))");

   Response preauth = parse_response("* PREAUTH [CAPABILITY IMAP4rev2] welcome");
   CHECK(preauth.keyword == "PREAUTH");
   CHECK(preauth.is_status());
   Response bye = parse_response("* BYE shutting down");
   CHECK(bye.keyword == "BYE");
   CHECK(bye.code.empty());
}

TEST_CASE("literal announcements at the end of a line") {
   CHECK(trailing_literal_size("* LIST () \"/\" {5}") == 5);
   CHECK(trailing_literal_size("A1 LOGIN {12+}") == 12);
   CHECK(trailing_literal_size("* OK done") == -1);
   CHECK(trailing_literal_size("* OK {x}") == -1);
   CHECK(trailing_literal_size("* OK {}") == -1);
}

TEST_CASE("LIST data: attributes - delimiter - name as atom - quoted string or literal") {
   ListEntry inbox = parse_list_data("(\\HasNoChildren) \"/\" INBOX");
   CHECK(inbox.attributes == std::vector<std::string>{"\\HasNoChildren"});
   CHECK(inbox.delimiter == "/");
   CHECK(inbox.name == "INBOX");

   ListEntry quoted = parse_list_data("(\\HasNoChildren \\Sent) \".\" \"Project X\"");
   CHECK(quoted.attributes.size() == 2);
   CHECK(quoted.delimiter == ".");
   CHECK(quoted.name == "Project X");

   CHECK(parse_list_data("() NIL \"a \\\"b\\\"\"").name == "a \"b\"");
   CHECK(parse_list_data("() NIL Top").delimiter.empty());
   CHECK(parse_list_data("() \"/\" {7}\r\nab\r\ncd ").name == "ab\r\ncd ");
   CHECK(parse_list_data("() \"/\" inbox").name == "INBOX");
   CHECK(parse_list_data("() \"/\" &ZeVnLIqe-").name == "日本語");

   CHECK_THROWS(parse_list_data("\\HasNoChildren \"/\" INBOX"));
   CHECK_THROWS(parse_list_data("() \"/\""));
   CHECK_THROWS(parse_list_data("() \"/\" \"unterminated"));
   CHECK_THROWS(parse_list_data("() \"/\" {9}\r\nshort"));
}

TEST_CASE("modified UTF-7 folder names decode to UTF-8") {
   CHECK(decode_modified_utf7("&ZeVnLIqe-") == "日本語");
   CHECK(decode_modified_utf7("Tom &- Jerry") == "Tom & Jerry");
   CHECK(decode_modified_utf7("Entw&APw-rfe") == "Entwürfe");
   CHECK(decode_modified_utf7("&2D3eAA-") == "\xF0\x9F\x98\x80");  // U+1F600, a surrogate pair
   CHECK(decode_modified_utf7("plain") == "plain");
   CHECK(decode_modified_utf7("&broken") == "&broken");
   CHECK(decode_modified_utf7("&!!-") == "&!!-");
}

TEST_CASE("strings travel quoted unless they need a literal") {
   CHECK(string_form("alice") == StringForm::quoted);
   CHECK(string_form("with \"quote\" and \\") == StringForm::quoted);
   CHECK(string_form("pässword") == StringForm::literal);
   CHECK(string_form("line\nbreak") == StringForm::literal);
   CHECK(string_form(std::string("nul\0x", 5)) == StringForm::literal);
   email::SecretString out;
   append_quoted(out, "a\"b\\c");
   CHECK(out.view() == "\"a\\\"b\\\\c\"");
}

}  // TEST_SUITE("imap")
