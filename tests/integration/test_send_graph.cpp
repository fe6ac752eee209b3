// Sending through a microsoft365 session ("email.send/1" over Microsoft Graph) end to end: the
// separately built sibling plugin sends as erin@contoso.test (app-only, granted Mail.Send) through
// the Graph peer (tests/peers/graph/graph_sending.py, written from Microsoft's documents), which
// keeps the copy in Sent Items and delivers to the Inbox of each recipient that is one of its
// mailboxes. Subjects carry a token no other test uses.
#include <rapidjson/document.h>

#include <rpa_common/random_hex.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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

// Connects `mailbox` app-only as `session`; returns the session's info.
rapidjson::Document connect(TestHost &host, const std::string &mailbox,
                            const std::string &session = "Default") {
   auto connected =
       host.run("Email.Connect", test::graph_app_bag(mailbox).set("session_name", session).str());
   REQUIRE_MESSAGE(connected.ok(), connected.message);
   return test::session_of(connected);
}

rapidjson::Document listed(TestHost &host, const std::string &folder, const std::string &token,
                           const std::string &session = "Default") {
   JsonBag list;
   list.set("folder", folder).set("subject_contains", token).set("session_name", session);
   return run_ok(host, "Sibling.ListMessages", list);
}

// The raw message of `ref`, fetched through the sibling.
std::string fetch_raw(TestHost &host, const test::TempDirectory &dir, const std::string &ref,
                      const std::string &session = "Default") {
   const std::string file = (dir.path() / ("raw-" + rpa::random_hex(4) + ".eml")).u8string();
   run_ok(host, "Sibling.Fetch", JsonBag().set("ref", ref).set("file", file).set("session_name", session));
   return read_file(file);
}

std::string header_of(const std::string &raw) { return raw.substr(0, raw.find("\r\n\r\n")); }

}  // namespace

TEST_CASE("send over Graph: one sendMail - Bcc kept in Sent Items only - delivered without it") {
   TestHost host;
   rapidjson::Document info = connect(host, "erin@contoso.test");
   REQUIRE(info.HasMember("sending"));
   CHECK(std::string(info["sending"]["protocol"].GetString()) == "Graph");
   connect(host, "shared@contoso.test", "Shared");
   test::TempDirectory dir("rpa-send-graph");
   const std::string invoice = "%PDF-1.4\n" + random_bytes(100000) + "\n%%EOF\n";
   const fs::path invoice_path = dir.path() / fs::u8path("請求書.pdf");
   std::ofstream(invoice_path, std::ios::binary) << invoice;
   const std::string token = "graph-send-" + rpa::random_hex(6);
   JsonBag request;
   request.set("to", "Erin <erin@contoso.test>")
       .set("bcc", "shared@contoso.test")
       .set("subject", "請求書 " + token)
       .set("text", "請求書を添付します。\n")
       .set("attachments", RawJson{"[{\"path\":" + JsonBag::quote(invoice_path.u8string()) + "}]"});
   rapidjson::Document sent = run_ok(host, "Sibling.Send", JsonBag().set("message", RawJson{request.str()}));
   CHECK(sent["accepted"].Size() == 2);
   CHECK(sent["refused"].Size() == 0);
   CHECK_MESSAGE(sent["round_trips"].GetUint() == 1, "a message under 2.9 MB is one sendMail");
   CHECK(std::string(sent["copy"].GetString()) == "server");
   CHECK(sent["sent_ref"].IsNull());
   CHECK(std::string(sent["message_id"].GetString()).find("@contoso.test>") != std::string::npos);

   // The copy in Sent Items names the Bcc; the delivered ones do not.
   rapidjson::Document copies = listed(host, "sent", token);
   REQUIRE(copies["messages"].Size() == 1);
   const std::string copy = fetch_raw(host, dir, copies["messages"][0]["ref"].GetString());
   CHECK_MESSAGE(header_of(copy).find("Bcc: shared@contoso.test") != std::string::npos, header_of(copy));
   rapidjson::Document inbox = listed(host, "inbox", token);
   REQUIRE(inbox["messages"].Size() == 1);
   const std::string delivered = fetch_raw(host, dir, inbox["messages"][0]["ref"].GetString());
   CHECK_MESSAGE(header_of(delivered).find("Bcc") == std::string::npos, header_of(delivered));
   rapidjson::Document blind = listed(host, "inbox", token, "Shared");
   REQUIRE(blind["messages"].Size() == 1);
   REQUIRE(blind["messages"][0]["attachments"].Size() == 1);
   CHECK(std::string(blind["messages"][0]["attachments"][0]["name"].GetString()) == "請求書.pdf");

   fs::create_directories(dir.path() / "saved");
   run_ok(host, "Sibling.SaveAttachments",
          JsonBag()
              .set("ref", blind["messages"][0]["ref"].GetString())
              .set("directory", (dir.path() / "saved").u8string())
              .set("session_name", "Shared"));
   CHECK(read_file((dir.path() / "saved" / fs::u8path("請求書.pdf")).u8string()) == invoice);
}

TEST_CASE(
    "send over Graph: 7 MB, 2.5 MB and 0.5 MB attachments - a draft, an upload session in 3 ranges "
    "without the token, one fileAttachment, send - every byte arrives") {
   TestHost host;
   connect(host, "erin@contoso.test");
   test::TempDirectory dir("rpa-send-graph-large");
   const std::vector<std::pair<std::string, std::size_t>> files = {
       {"図面.bin", 7000000}, {"report.pdf", 2500000}, {"notes.txt", 500000}};
   std::vector<std::string> contents;
   std::string attachments = "[";
   for (const auto &[name, size] : files) {
      contents.push_back(random_bytes(size));
      std::ofstream(dir.path() / fs::u8path(name), std::ios::binary) << contents.back();
      attachments += std::string(attachments.size() > 1 ? "," : "") +
                     "{\"path\":" + JsonBag::quote((dir.path() / fs::u8path(name)).u8string()) + "}";
   }
   attachments += "]";
   const std::string token = "graph-large-" + rpa::random_hex(6);
   JsonBag request;
   request.set("to", "erin@contoso.test")
       .set("subject", "drawings " + token)
       .set("html", "<p>The drawings.</p>")
       .set("attachments", RawJson{attachments});
   rapidjson::Document sent = run_ok(host, "Sibling.Send", JsonBag().set("message", RawJson{request.str()}));
   CHECK_MESSAGE(
       sent["round_trips"].GetUint() == 7,
       "draft, fileAttachment, createUploadSession, 3 PUTs, send: " << sent["round_trips"].GetUint());
   CHECK(std::string(sent["copy"].GetString()) == "server");

   rapidjson::Document inbox = listed(host, "inbox", token);
   REQUIRE(inbox["messages"].Size() == 1);
   CHECK(inbox["messages"][0]["attachments"].Size() == 3);
   fs::create_directories(dir.path() / "saved");
   run_ok(host, "Sibling.SaveAttachments",
          JsonBag()
              .set("ref", inbox["messages"][0]["ref"].GetString())
              .set("directory", (dir.path() / "saved").u8string()));
   for (std::size_t i = 0; i < files.size(); ++i)
      CHECK_MESSAGE(read_file((dir.path() / "saved" / fs::u8path(files[i].first)).u8string()) == contents[i],
                    files[i].first << " arrives byte for byte");
   CHECK(listed(host, "drafts", token)["messages"].Size() == 0);  // the draft went, as sent
}

TEST_CASE(
    "send over Graph: send-as refused names from and the fix - allowed send-as goes - "
    "text over 4 MB is refused before a draft - save_copy never is reported") {
   TestHost host;
   connect(host, "erin@contoso.test");
   const std::string token = "graph-refusals-" + rpa::random_hex(6);
   JsonBag as_ceo;
   as_ceo.set("from", "ceo@contoso.test").set("to", "erin@contoso.test").set("subject", "as ceo " + token);
   auto refused = host.run("Sibling.Send", JsonBag().set("message", RawJson{as_ceo.str()}).str());
   CHECK(refused.status == RPA_INVALID_PROPERTIES);
   CHECK_MESSAGE(test::has(refused.message,
                           "from: Exchange Online does not let the mailbox \"erin@contoso.test\" "
                           "send as"),
                 refused.message);
   CHECK(test::has(refused.message, "ErrorSendAsDenied"));
   CHECK(test::has(refused.message, "nothing was sent"));

   JsonBag as_team;
   as_team.set("from", "Team <team@contoso.test>")
       .set("to", "erin@contoso.test")
       .set("subject", "as team " + token)
       .set("save_copy", "never");
   auto team = host.run("Sibling.Send", JsonBag().set("message", RawJson{as_team.str()}).str());
   REQUIRE_MESSAGE(team.ok(), team.message);
   CHECK_MESSAGE(test::has(team.message, "save_copy \"never\" could not be kept: Graph keeps a copy"),
                 team.message);

   JsonBag long_text;
   long_text.set("to", "erin@contoso.test")
       .set("subject", "long " + token)
       .set("text", std::string(3500000, 'x'));
   auto too_long = host.run("Sibling.Send", JsonBag().set("message", RawJson{long_text.str()}).str());
   CHECK(too_long.status == RPA_UNSUPPORTED);
   CHECK_MESSAGE(
       test::has(too_long.message, "without its attachments, and Microsoft Graph takes at most 4 MB"),
       too_long.message);
   CHECK(listed(host, "drafts", token)["messages"].Size() == 0);
   CHECK(listed(host, "inbox", token)["messages"].Size() == 1);  // only the one sent as team
}

TEST_CASE("send over Graph: a reply marks the original answered through its extended properties") {
   TestHost host;
   connect(host, "erin@contoso.test");
   const std::string token = "graph-reply-" + rpa::random_hex(6);
   JsonBag question;
   question.set("to", "erin@contoso.test").set("subject", "question " + token).set("text", "Well?");
   run_ok(host, "Sibling.Send", JsonBag().set("message", RawJson{question.str()}));
   rapidjson::Document inbox = listed(host, "inbox", token);
   REQUIRE(inbox["messages"].Size() == 1);
   CHECK_FALSE(inbox["messages"][0]["answered"].GetBool());
   const std::string original = inbox["messages"][0]["ref"].GetString();
   rapidjson::Document replied = run_ok(
       host, "Sibling.Reply", JsonBag().set("ref", original).set("message", RawJson{"{\"text\":\"Yes.\"}"}));
   CHECK(replied["original_marked"].GetBool());
   inbox = listed(host, "inbox", "question " + token);
   REQUIRE(inbox["messages"].Size() == 2);  // the original and the reply (sent to erin herself)
   for (const auto &message : inbox["messages"].GetArray())
      CHECK(message["answered"].GetBool() ==
            (std::string(message["subject"].GetString()).rfind("Re:", 0) != 0));
}
