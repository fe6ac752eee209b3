// Sending through an ews session ("email.send/1" over Exchange Web Services) end to end: the
// separately built sibling plugin sends as alice@contoso.test (Basic) through the EWS peer
// (tests/peers/ews/ews_sending.py, written from Microsoft's CreateItem and SendItem references),
// which keeps the copy where the request says and delivers to the Inbox of each recipient that is
// one of its mailboxes. alice may send as shared@contoso.test and opens it by delegate access;
// erin's send size limit is 1,000,000 bytes. Subjects carry a token no other test uses.
#include <rapidjson/document.h>

#include <rpa_common/random_hex.h>

#include <filesystem>
#include <fstream>

#include "connect_helpers.h"
#include "files.h"
#include "oauth_helpers.h"

using test::JsonBag;
using test::RawJson;
using test::TestHost;
using test::random_bytes;
using test::read_file;
using test::run_ok;

namespace {

namespace fs = std::filesystem;

// Connects `user` with Basic as `session`, opening `mailbox` by delegate access when given.
rapidjson::Document connect(TestHost &host, const std::string &user, const std::string &session,
                            const std::string &mailbox = "") {
   JsonBag bag = test::ews_basic_bag(user);
   bag.set("session_name", session);
   if (!mailbox.empty()) bag.set("mailbox", mailbox);
   auto connected = host.run("Email.Connect", bag.str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   return test::session_of(connected);
}

unsigned count(TestHost &host, const std::string &session, const std::string &folder,
               const std::string &token) {
   JsonBag list;
   list.set("folder", folder).set("subject_contains", token).set("session_name", session);
   return run_ok(host, "Sibling.ListMessages", list)["messages"].Size();
}

std::string only_ref(TestHost &host, const std::string &session, const std::string &folder,
                     const std::string &token) {
   JsonBag list;
   list.set("folder", folder).set("subject_contains", token).set("session_name", session);
   rapidjson::Document listed = run_ok(host, "Sibling.ListMessages", list);
   REQUIRE(listed["messages"].Size() == 1);
   return listed["messages"][0]["ref"].GetString();
}

std::string fetch_raw(TestHost &host, const test::TempDirectory &dir, const std::string &ref,
                      const std::string &session) {
   const std::string file = (dir.path() / ("raw-" + rpa::random_hex(4) + ".eml")).u8string();
   run_ok(host, "Sibling.Fetch", JsonBag().set("ref", ref).set("file", file).set("session_name", session));
   return read_file(file);
}

std::string header_of(const std::string &raw) { return raw.substr(0, raw.find("\r\n\r\n")); }

rpa_host::ActionOutcome send(TestHost &host, const JsonBag &request, const std::string &session) {
   return host.run("Sibling.Send",
                   JsonBag().set("message", RawJson{request.str()}).set("session_name", session).str());
}

}  // namespace

TEST_CASE(
    "send over EWS: CreateItem SendAndSaveCopy - Bcc as BccRecipients, kept in Sent Items only - "
    "the attachment arrives byte for byte") {
   TestHost host;
   rapidjson::Document info = connect(host, "alice@contoso.test", "Alice");
   REQUIRE(info.HasMember("sending"));
   CHECK(std::string(info["sending"]["protocol"].GetString()) == "EWS");
   connect(host, "erin@contoso.test", "Erin");
   connect(host, "alice@contoso.test", "Shared", "shared@contoso.test");
   test::TempDirectory dir("rpa-send-ews");
   const std::string invoice = "%PDF-1.4\n" + random_bytes(200000) + "\n%%EOF\n";
   const fs::path invoice_path = dir.path() / fs::u8path("請求書.pdf");
   std::ofstream(invoice_path, std::ios::binary) << invoice;
   const std::string token = "ews-send-" + rpa::random_hex(6);
   JsonBag request;
   request.set("to", "Erin <erin@contoso.test>")
       .set("bcc", "shared@contoso.test")
       .set("subject", "請求書 " + token)
       .set("text", "請求書を添付します。\n")
       .set("attachments", RawJson{"[{\"path\":" + JsonBag::quote(invoice_path.u8string()) + "}]"});
   auto result = send(host, request, "Alice");
   REQUIRE_MESSAGE(result.ok(), result.message);
   rapidjson::Document sent = test::result_of(result);
   CHECK(sent["accepted"].Size() == 2);
   CHECK(sent["refused"].Size() == 0);
   CHECK_MESSAGE(sent["round_trips"].GetUint() == 1, "one CreateItem");
   CHECK(std::string(sent["copy"].GetString()) == "server");
   CHECK(sent["sent_ref"].IsNull());
   CHECK(std::string(sent["message_id"].GetString()).find("@contoso.test>") != std::string::npos);
   CHECK_MESSAGE(test::has(result.message, "the server keeps a copy in the sent folder"), result.message);

   const std::string copy = fetch_raw(host, dir, only_ref(host, "Alice", "sent", token), "Alice");
   CHECK_MESSAGE(header_of(copy).find("Bcc: shared@contoso.test") != std::string::npos, header_of(copy));
   const std::string delivered = fetch_raw(host, dir, only_ref(host, "Erin", "inbox", token), "Erin");
   CHECK_MESSAGE(header_of(delivered).find("Bcc") == std::string::npos, header_of(delivered));
   CHECK(header_of(delivered).find("From: alice@contoso.test") != std::string::npos);

   fs::create_directories(dir.path() / "saved");
   run_ok(host, "Sibling.SaveAttachments",
          JsonBag()
              .set("ref", only_ref(host, "Shared", "inbox", token))
              .set("directory", (dir.path() / "saved").u8string())
              .set("session_name", "Shared"));
   CHECK(read_file((dir.path() / "saved" / fs::u8path("請求書.pdf")).u8string()) == invoice);
}

TEST_CASE(
    "send over EWS: save_copy never is SendOnly - from a delegate mailbox without a copy, a draft "
    "there then SendItem - with a copy, its Sent Items") {
   TestHost host;
   connect(host, "alice@contoso.test", "Alice");
   connect(host, "erin@contoso.test", "Erin");
   connect(host, "alice@contoso.test", "Shared", "shared@contoso.test");
   const std::string token = "ews-copies-" + rpa::random_hex(6);

   JsonBag own;
   own.set("to", "erin@contoso.test").set("subject", "own " + token).set("save_copy", "never");
   auto own_result = send(host, own, "Alice");
   REQUIRE_MESSAGE(own_result.ok(), own_result.message);
   CHECK(std::string(test::result_of(own_result)["copy"].GetString()) == "none");
   CHECK(test::result_of(own_result)["round_trips"].GetUint() == 1);
   CHECK(count(host, "Alice", "sent", "own " + token) == 0);

   JsonBag shared_no_copy;
   shared_no_copy.set("to", "erin@contoso.test")
       .set("subject", "shared-none " + token)
       .set("save_copy", "never");
   auto none = send(host, shared_no_copy, "Shared");
   REQUIRE_MESSAGE(none.ok(), none.message);
   CHECK_MESSAGE(test::result_of(none)["round_trips"].GetUint() == 2, "CreateItem SaveOnly, then SendItem");
   CHECK(std::string(test::result_of(none)["copy"].GetString()) == "none");
   CHECK(count(host, "Shared", "sent", "shared-none " + token) == 0);
   CHECK(count(host, "Shared", "drafts", "shared-none " + token) == 0);

   JsonBag shared_copy;
   shared_copy.set("to", "erin@contoso.test").set("subject", "shared-copy " + token);
   auto kept = send(host, shared_copy, "Shared");
   REQUIRE_MESSAGE(kept.ok(), kept.message);
   CHECK(test::result_of(kept)["round_trips"].GetUint() == 1);
   CHECK(std::string(test::result_of(kept)["copy"].GetString()) == "server");
   CHECK(count(host, "Shared", "sent", "shared-copy " + token) == 1);
   CHECK(count(host, "Alice", "sent", "shared-copy " + token) == 0);

   // Both sent from the shared mailbox (the session's address), and both arrived.
   test::TempDirectory dir("rpa-send-ews-copies");
   for (const char *subject : {"shared-none ", "shared-copy "}) {
      const std::string raw = fetch_raw(host, dir, only_ref(host, "Erin", "inbox", subject + token), "Erin");
      CHECK_MESSAGE(header_of(raw).find("From: shared@contoso.test") != std::string::npos, header_of(raw));
   }
   CHECK(count(host, "Erin", "inbox", "own " + token) == 1);
}

TEST_CASE(
    "send over EWS: send-as refused names from and the fix - over the send size limit is refused - "
    "nothing arrives") {
   TestHost host;
   connect(host, "alice@contoso.test", "Alice");
   connect(host, "erin@contoso.test", "Erin");
   const std::string token = "ews-refusals-" + rpa::random_hex(6);
   JsonBag as_ceo;
   as_ceo.set("from", "ceo@contoso.test").set("to", "erin@contoso.test").set("subject", "as ceo " + token);
   auto refused = send(host, as_ceo, "Alice");
   CHECK(refused.status == RPA_INVALID_PROPERTIES);
   CHECK_MESSAGE(test::has(refused.message, "from: Exchange at localhost:"), refused.message);
   CHECK_MESSAGE(test::has(refused.message, "does not let the mailbox \"alice@contoso.test\" send as"),
                 refused.message);
   CHECK(test::has(refused.message, "ErrorSendAsDenied"));
   CHECK(test::has(refused.message, "nothing was sent"));

   test::TempDirectory dir("rpa-send-ews-size");
   const fs::path big = dir.path() / "big.bin";
   std::ofstream(big, std::ios::binary) << random_bytes(900000);  // over 1,000,000 bytes in base64
   JsonBag too_big;
   too_big.set("to", "alice@contoso.test")
       .set("subject", "big " + token)
       .set("attachments", RawJson{"[{\"path\":" + JsonBag::quote(big.u8string()) + "}]"});
   auto large = send(host, too_big, "Erin");
   CHECK(large.status == RPA_INVALID_PROPERTIES);
   CHECK_MESSAGE(test::has(large.message, "refused the message as too large (ErrorMessageSizeExceeded"),
                 large.message);
   CHECK(test::has(large.message, "nothing was sent"));
   CHECK(count(host, "Erin", "inbox", token) == 0);
   CHECK(count(host, "Alice", "inbox", token) == 0);
   CHECK(count(host, "Alice", "sent", token) == 0);
}

TEST_CASE("send over EWS: a reply threads and marks the original answered; a forward marks it forwarded") {
   TestHost host;
   connect(host, "alice@contoso.test", "Alice");
   connect(host, "erin@contoso.test", "Erin");
   const std::string token = "ews-reply-" + rpa::random_hex(6);
   JsonBag question;
   question.set("to", "erin@contoso.test").set("subject", "質問 " + token).set("text", "いかがですか。");
   auto asked = send(host, question, "Alice");
   REQUIRE_MESSAGE(asked.ok(), asked.message);
   const std::string original = only_ref(host, "Erin", "inbox", token);
   const auto answered = [&] {
      JsonBag list;
      list.set("folder", "inbox").set("subject_contains", token).set("session_name", "Erin");
      return run_ok(host, "Sibling.ListMessages", list)["messages"][0]["answered"].GetBool();
   };
   CHECK_FALSE(answered());
   rapidjson::Document replied = run_ok(host, "Sibling.Reply",
                                        JsonBag()
                                            .set("ref", original)
                                            .set("message", RawJson{"{\"text\":\"はい。\"}"})
                                            .set("session_name", "Erin"));
   CHECK(replied["original_marked"].GetBool());
   CHECK(answered());  // PidTagLastVerbExecuted 102, as Outlook records a reply
   test::TempDirectory dir("rpa-send-ews-reply");
   const std::string reply =
       fetch_raw(host, dir, only_ref(host, "Alice", "inbox", "Re: 質問 " + token), "Alice");
   CHECK_MESSAGE(header_of(reply).find("In-Reply-To: <") != std::string::npos, header_of(reply));

   rapidjson::Document forwarded = run_ok(host, "Sibling.Forward",
                                          JsonBag()
                                              .set("ref", original)
                                              .set("message", RawJson{"{\"to\":\"alice@contoso.test\"}"})
                                              .set("session_name", "Erin"));
   CHECK(forwarded["original_marked"].GetBool());
   CHECK_FALSE(answered());  // 104: forwarded, not answered
}
