// The SASL layer: mechanism encodings (RFC 4616 PLAIN, LOGIN) and the exchange that IMAP and
// POP3 share, driven here by a scripted carrier that records what would go on the wire.
#include <doctest/doctest.h>

#include <deque>

#include "sasl/mechanism_choice.h"
#include "sasl/sasl_exchange.h"
#include "util/failure.h"
#include "util/secret.h"

using namespace email;

namespace {

class ScriptedCarrier final : public SaslCarrier {
 public:
   bool initial_allowed = true;
   std::deque<SaslServerReply> replies;
   std::vector<std::string> sent;

   void send_start(const char *mechanism, const SecretString *initial) override {
      SecretString line = sasl_command_line("START", mechanism, initial);
      write_line(line.view(), "");
   }
   bool can_send_initial_response(std::size_t) const override { return initial_allowed; }
   SaslServerReply read_reply() override {
      REQUIRE_FALSE(replies.empty());
      SaslServerReply reply = replies.front();
      replies.pop_front();
      return reply;
   }

 protected:
   void write_line(std::string_view line, std::string_view) override {
      sent.emplace_back(line.substr(0, line.size() - 2));  // without CRLF
   }
};

using Kind = SaslServerReply::Kind;

}  // namespace

TEST_SUITE("sasl") {

TEST_CASE("PLAIN's message is NUL user NUL password (RFC 4616)") {
   auto plain = make_plain_mechanism("user", "pass");
   CHECK(std::string(plain->name()) == "PLAIN");
   auto initial = plain->initial_response();
   REQUIRE(initial);
   CHECK(initial->view() == std::string_view("\0user\0pass", 10));
   CHECK(base64_encode(initial->view()).view() == "AHVzZXIAcGFzcw==");
   CHECK_THROWS_AS(plain->respond("unexpected"), Failure);
}

TEST_CASE("PLAIN names another mailbox as the authorization identity - and only PLAIN can") {
   auto plain = make_plain_mechanism("robot", "pw", "dave");
   auto initial = plain->initial_response();
   REQUIRE(initial);
   CHECK(std::string(initial->view()) == std::string("dave\0robot\0pw", 13));
   auto offers_login_only = [](std::string_view name) { return name == "LOGIN"; };
   CHECK(choose_password_mechanism(offers_login_only, "robot", "pw", true, "dave") == nullptr);
   CHECK(choose_password_mechanism(offers_login_only, "robot", "pw", true) != nullptr);
}

TEST_CASE("LOGIN answers the username - then the password") {
   auto login = make_login_mechanism("user", "pass");
   CHECK_FALSE(login->initial_response());
   CHECK(login->respond("Username:").view() == "user");
   CHECK(login->respond("Password:").view() == "pass");
   CHECK_THROWS_AS(login->respond("More:"), Failure);
}

TEST_CASE("PLAIN with an initial response is one round trip") {
   ScriptedCarrier carrier;
   carrier.replies = {{Kind::success, "OK"}};
   auto plain = make_plain_mechanism("user", "pass");
   SaslOutcome outcome = run_sasl(carrier, *plain);
   CHECK(outcome.success);
   CHECK(carrier.sent == std::vector<std::string>{"START PLAIN AHVzZXIAcGFzcw=="});
}

TEST_CASE("without initial responses - PLAIN answers the empty challenge") {
   ScriptedCarrier carrier;
   carrier.initial_allowed = false;
   carrier.replies = {{Kind::challenge, ""}, {Kind::success, "OK"}};
   auto plain = make_plain_mechanism("user", "pass");
   CHECK(run_sasl(carrier, *plain).success);
   CHECK(carrier.sent == std::vector<std::string>{"START PLAIN", "AHVzZXIAcGFzcw=="});
}

TEST_CASE("LOGIN decodes challenges and encodes answers") {
   ScriptedCarrier carrier;
   carrier.replies = {
       {Kind::challenge, "VXNlcm5hbWU6"}, {Kind::challenge, "UGFzc3dvcmQ6"}, {Kind::success, ""}};
   auto login = make_login_mechanism("user", "pass");
   CHECK(run_sasl(carrier, *login).success);
   CHECK(carrier.sent == std::vector<std::string>{"START LOGIN", "dXNlcg==", "cGFzcw=="});
}

TEST_CASE("an empty initial response is sent as =") {
   SecretString empty;
   CHECK(sasl_command_line("A1 AUTHENTICATE", "EXTERNAL", &empty).view() == "A1 AUTHENTICATE EXTERNAL =\r\n");
   CHECK(sasl_command_line("AUTH", "PLAIN", nullptr).view() == "AUTH PLAIN\r\n");
}

TEST_CASE("a refusal is reported with the server's text") {
   ScriptedCarrier carrier;
   carrier.replies = {{Kind::failure, "[AUTHENTICATIONFAILED] nope"}};
   auto plain = make_plain_mechanism("user", "pass");
   SaslOutcome outcome = run_sasl(carrier, *plain);
   CHECK_FALSE(outcome.success);
   CHECK(outcome.server_text == "[AUTHENTICATIONFAILED] nope");
}

TEST_CASE("a challenge that is not base64 aborts the exchange") {
   ScriptedCarrier carrier;
   carrier.replies = {{Kind::challenge, "not base64!"}, {Kind::failure, "aborted"}};
   auto login = make_login_mechanism("user", "pass");
   try {
      run_sasl(carrier, *login);
      FAIL("no exception");
   } catch (const Failure &failure) {
      CHECK(failure.status() == RPA_PROTOCOL_ERROR);
   }
   CHECK(carrier.sent.back() == "*");
}

}  // TEST_SUITE("sasl")

TEST_SUITE("sasl") {

TEST_CASE("XOAUTH2 sends user and bearer token separated by ctrl-A") {
   auto mechanism = make_xoauth2_mechanism("alice@example.com", "ya29.token");
   CHECK(std::string(mechanism->name()) == "XOAUTH2");
   auto initial = mechanism->initial_response();
   REQUIRE(initial);
   const std::string expected =
       std::string("user=alice@example.com") + '\x01' + "auth=Bearer ya29.token" + '\x01' + '\x01';
   CHECK(std::string(initial->view()) == expected);
}

TEST_CASE("OAUTHBEARER sends the RFC 7628 GS2 header host port and token") {
   auto mechanism = make_oauthbearer_mechanism("a,b=c@example.com", "tok", "imap.example.com", 993);
   auto initial = mechanism->initial_response();
   REQUIRE(initial);
   const std::string expected = std::string("n,a=a=2Cb=3Dc@example.com,") + '\x01' + "host=imap.example.com" +
                                '\x01' + "port=993" + '\x01' + "auth=Bearer tok" + '\x01' + '\x01';
   CHECK(std::string(initial->view()) == expected);
}

TEST_CASE("an OAuth2 error challenge is answered as the mechanism requires and then fails") {
   for (bool bearer : {false, true}) {
      CAPTURE(bearer);
      auto mechanism =
          bearer ? make_oauthbearer_mechanism("u", "t", "h", 1) : make_xoauth2_mechanism("u", "t");
      ScriptedCarrier carrier;
      const std::string error = R"({"status":"invalid_token","scope":"mail"})";
      carrier.replies.push_back({Kind::challenge, std::string(base64_encode(error).view())});
      carrier.replies.push_back({Kind::failure, "[AUTHENTICATIONFAILED] Authentication failed."});
      SaslOutcome outcome = run_sasl(carrier, *mechanism);
      CHECK_FALSE(outcome.success);
      REQUIRE(carrier.sent.size() == 2);
      // XOAUTH2: an empty response; OAUTHBEARER: a single ^A (RFC 7628 3.2.3), base64 "AQ==".
      CHECK(carrier.sent[1] == (bearer ? "AQ==" : ""));
      CHECK(mechanism->server_error() == error);
   }
}

TEST_CASE("a second OAuth2 challenge aborts instead of looping") {
   auto mechanism = make_xoauth2_mechanism("u", "t");
   ScriptedCarrier carrier;
   carrier.replies.push_back({Kind::challenge, std::string(base64_encode("{}").view())});
   carrier.replies.push_back({Kind::challenge, std::string(base64_encode("{}").view())});
   carrier.replies.push_back({Kind::failure, "aborted"});
   CHECK_THROWS_AS(run_sasl(carrier, *mechanism), Failure);
   CHECK(carrier.sent.back() == "*");
}

}  // TEST_SUITE("sasl")
