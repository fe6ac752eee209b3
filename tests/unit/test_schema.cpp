// The Connect and Disconnect schemas: the files themselves, and validation that names every
// problem by field.
#include <doctest/doctest.h>

#include "embedded_schemas.h"
#include "files.h"
#include "json_bag.h"
#include "properties/action_schema.h"
#include "util/failure.h"

using test::read_file;
using email::ActionSchema;
using email::SecretDocument;
using test::JsonBag;

namespace {

const ActionSchema &connect_schema() {
   static ActionSchema schema(email::embedded::connect_schema);
   return schema;
}

std::vector<email::PropertyProblem> check(const std::string &json) {
   SecretDocument bag;
   bag.Parse(json.c_str());
   REQUIRE_FALSE(bag.HasParseError());
   return connect_schema().check(bag);
}

std::string problem_of(const std::vector<email::PropertyProblem> &problems, const std::string &field) {
   for (auto &problem : problems)
      if (problem.field == field) return problem.message;
   return "";
}

JsonBag valid_imap() {
   JsonBag bag;
   bag.set("connection", "email_server")
       .set("host", "imap.example.com")
       .set("username", "alice")
       .set("password", "pw")
       .set("protocol", "IMAP");
   return bag;
}

}  // namespace

TEST_SUITE("schema") {

TEST_CASE("the embedded schemas are the files in schemas/") {
   CHECK(read_file(RPA_SCHEMA_DIR "/email.connect.schema.json") == email::embedded::connect_schema);
   CHECK(read_file(RPA_SCHEMA_DIR "/email.disconnect.schema.json") == email::embedded::disconnect_schema);
}

TEST_CASE("every property has an en and a ja label and a place in the field order") {
   for (const char *text : {email::embedded::connect_schema, email::embedded::disconnect_schema}) {
      ActionSchema schema(text);
      const auto &document = schema.document();
      REQUIRE(document.HasMember("x-ui"));
      const auto &ui = document["x-ui"];
      CHECK(std::string(document["$schema"].GetString()) == "http://json-schema.org/draft-04/schema#");
      for (auto &property : document["properties"].GetObject()) {
         const std::string name = property.name.GetString();
         CAPTURE(name);
         REQUIRE(ui["fields"].HasMember(name.c_str()));
         const auto &label = ui["fields"][name.c_str()]["label"];
         CHECK(std::string(label["en"].GetString()).size() > 0);
         CHECK(std::string(label["ja"].GetString()).size() > 0);
         bool ordered = false;
         for (auto &entry : ui["order"].GetArray()) ordered = ordered || name == entry.GetString();
         CHECK(ordered);
      }
   }
}

TEST_CASE("the Japanese labels are the seed document's") {
   const auto &fields = connect_schema().document()["x-ui"]["fields"];
   auto ja = [&](const char *field) { return std::string(fields[field]["label"]["ja"].GetString()); };
   CHECK(ja("session_name") == "セッション名");
   CHECK(ja("host") == "ホスト");
   CHECK(ja("port") == "ポート");
   CHECK(ja("username") == "ユーザー名");
   CHECK(ja("password") == "パスワード");
   CHECK(ja("use_secure_connection") == "安全な接続 (SSL/TLS) を使用");
   CHECK(ja("protocol") == "プロトコル");
   CHECK(ja("exchange_version") == "Exchange のバージョン");
   CHECK(ja("auth_type") == "認証タイプ");
   CHECK(ja("client_id") == "クライアント ID");
   CHECK(ja("tenant_id") == "テナント ID");
   CHECK(std::string(fields["connection"]["options"]["email_server"]["ja"].GetString()) ==
         "E メール サーバー");
   CHECK(std::string(connect_schema().document()["x-ui"]["label"]["ja"].GetString()) == "接続");
   CHECK(
       std::string(connect_schema().document()["x-ui"]["buttons"]["authorize"]["label"]["ja"].GetString()) ==
       "承認");
}

TEST_CASE(
    "username, password, client_secret and client_certificate may come from the Credential Vault, nothing "
    "else") {
   const auto &fields = connect_schema().document()["x-ui"]["fields"];
   for (auto &field : fields.GetObject()) {
      const std::string name = field.name.GetString();
      const bool credential =
          field.value.HasMember("accepts_credential") && field.value["accepts_credential"].GetBool();
      CHECK_MESSAGE(credential == (name == "username" || name == "password" || name == "client_secret" ||
                                   name == "client_certificate" || name == "proxy_username" ||
                                   name == "proxy_password"),
                    name);
   }
}

TEST_CASE("presets name common providers with IMAP and POP3 ports") {
   const auto &presets = connect_schema().document()["x-ui"]["presets"];
   REQUIRE(presets.Size() >= 5);
   bool gmail = false;
   for (auto &preset : presets.GetArray())
      if (std::string(preset["name"].GetString()) == "Gmail")
         gmail = preset["IMAP"]["port"].GetInt() == 993 && preset["POP3"]["port"].GetInt() == 995;
   CHECK(gmail);
}

TEST_CASE("a complete email server bag is valid") {
   CHECK(check(valid_imap().str()).empty());
   CHECK(check(valid_imap()
                   .set("port", 1143)
                   .set("use_secure_connection", false)
                   .set("tls_mode", "starttls")
                   .set("ca_file", "/etc/ca.pem")
                   .set("timeout_seconds", 5)
                   .set("session_name", "Mail")
                   .str())
             .empty());
}

TEST_CASE("outlook needs nothing more") { CHECK(check(R"({"connection":"outlook"})").empty()); }

TEST_CASE("missing connection is named") {
   auto problems = check("{}");
   CHECK(problem_of(problems, "connection") == "is required");
}

TEST_CASE("email_server names every missing field and why") {
   auto problems = check(R"({"connection":"email_server"})");
   for (const char *field : {"host", "username", "password", "protocol"})
      CHECK(problem_of(problems, field) == "is required when connection is \"email_server\"");
   CHECK(problems.size() == 4);
}

TEST_CASE("ews with oauth2 requires client_id and tenant_id but basic does not") {
   JsonBag ews;
   ews.set("connection", "ews").set("username", "john@example.com").set("password", "pw");
   CHECK(check(ews.str()).empty());
   CHECK(check(ews.set("auth_type", "basic").str()).empty());
   auto problems = check(ews.set("auth_type", "oauth2").str());
   CHECK(problem_of(problems, "client_id") ==
         "is required when connection is \"ews\" and auth_type is \"oauth2\"");
   CHECK(problem_of(problems, "tenant_id") ==
         "is required when connection is \"ews\" and auth_type is \"oauth2\"");
   CHECK(check(ews.set("client_id", "c").set("tenant_id", "t").str()).empty());
}

TEST_CASE("ews with oauth2 needs no password and app-only needs a client_secret or a client_certificate") {
   JsonBag ews;
   ews.set("connection", "ews")
       .set("username", "john@example.com")
       .set("auth_type", "oauth2")
       .set("client_id", "c")
       .set("tenant_id", "t");
   CHECK(check(ews.str()).empty());  // Authorize once, then no password at all
   auto problems = check(ews.set("auth_type", "oauth2_app").str());
   CHECK(problem_of(problems, "client_secret") ==
         "or client_certificate is required when connection is \"ews\" and auth_type is \"oauth2_app\"");
   CHECK(check(ews.set("client_certificate", "/etc/app.pem").str()).empty());
   CHECK(check(ews.erase("client_certificate").set("client_secret", "s").str()).empty());
}

TEST_CASE("a number beyond 2^63 is refused by name before the schema validator sees it") {
   // Found by fuzzing: RapidJSON's validator hashes numbers as 64-bit integers (undefined beyond).
   auto problems = check(R"({"connection":"email_server","protocol":1122222222222222222220,"port":1e300})");
   CHECK(problem_of(problems, "protocol") == "holds a number too large for any property (beyond 2^63)");
   CHECK(problem_of(problems, "port") == "holds a number too large for any property (beyond 2^63)");
}

TEST_CASE("email_server with oauth2 needs a client_id instead of a password") {
   JsonBag bag;
   bag.set("connection", "email_server")
       .set("host", "imap.example.com")
       .set("protocol", "IMAP")
       .set("username", "john@example.com")
       .set("auth_type", "oauth2");
   auto problems = check(bag.str());
   CHECK(problem_of(problems, "client_id") ==
         "is required when connection is \"email_server\" and auth_type is \"oauth2\"");
   CHECK(problem_of(problems, "password").empty());
   CHECK(check(bag.set("client_id", "c").str()).empty());
   CHECK(check(bag.set("oauth_provider", "google").set("client_secret", "s").str()).empty());
   CHECK(problem_of(check(bag.set("auth_type", "password").str()), "password") ==
         "is required when connection is \"email_server\" and auth_type is \"password\"");
}

TEST_CASE("every bad value is named by its field") {
   struct Case {
      const char *field;
      test::RawJson value;
      const char *expected;
   };
   const Case cases[] = {
       {"session_name", {"\"\""}, "must not be empty"},
       {"session_name", {"7"}, "must be a string, got an integer"},
       {"connection", {"\"smtp\""}, "must be one of \"outlook\", \"email_server\", \"ews\""},
       {"host", {"\"imap example.com\""}, "must be a host name or IP address"},
       {"host", {"\"imaps://imap.example.com/\""}, "must be a host name or IP address"},
       {"host", {"\"\""}, "must be a host name or IP address"},
       {"port", {"0"}, "must be between 1 and 65535"},
       {"port", {"65536"}, "must be between 1 and 65535"},
       {"port", {"\"993\""}, "must be an integer, got a string"},
       {"port", {"993.5"}, "must be an integer, got a number"},
       {"username", {"\"\""}, "must be a non-empty string (String) or {\"credential\""},
       {"username", {"42"}, "got an integer"},
       {"password",
        {R"({"credential":{"locker":"L","name":"C"}})"},
        "(Credential) with all three names given"},
       {"password", {R"({"credential":{"locker":"L","name":"C","attribute":""}})"}, "(Credential)"},
       {"password",
        {R"({"credential":{"locker":"L","name":"C","attribute":"a","extra":1}})"},
        "(Credential)"},
       {"password", {R"({"vault":"x"})"}, "got an object"},
       {"use_secure_connection", {"\"yes\""}, "must be a boolean, got a string"},
       {"protocol", {"\"imap\""}, "must be one of \"IMAP\", \"POP3\""},
       {"domain", {"5"}, "must be a string"},
       {"exchange_version", {"\"Exchange2019\""}, "must be one of \"Exchange2007_SP1\""},
       {"auth_type",
        {"\"kerberos\""},
        "must be one of \"basic\", \"password\", \"oauth2\", \"oauth2_app\", \"negotiate\", \"ntlm\""},
       {"client_id", {"\"\""}, "must not be empty"},
       {"tenant_id", {"null"}, "must be the directory (tenant) ID or domain"},
       {"tenant_id", {"\"contoso/../x\""}, "must be the directory (tenant) ID or domain"},
       {"client_secret", {"42"}, "got an integer"},
       {"oauth_provider", {"\"yahoo\""}, "must be one of \"microsoft\", \"google\""},
       {"authority", {"\"http://login.microsoftonline.com\""}, "must be an https:// URL"},
       {"authority", {"\"https://login.example.com/x?y\""}, "must be an https:// URL"},
       {"ews_url",
        {"\"http://mail.contoso.com/EWS/Exchange.asmx\""},
        "must be an https:// URL of the EWS endpoint"},
       {"ews_url", {"\"https://mail.contoso.com\""}, "must be an https:// URL of the EWS endpoint"},
       {"tls_mode", {"\"ssl\""}, "must be one of \"auto\", \"implicit\", \"starttls\""},
       {"ca_file", {"\"\""}, "must not be empty"},
       {"timeout_seconds", {"0"}, "must be between 1 and 600"},
       {"timeout_seconds", {"601"}, "must be between 1 and 600"},
   };
   for (const Case &c : cases) {
      CAPTURE(c.field);
      CAPTURE(c.value.text);
      auto problems = check(valid_imap().set(c.field, c.value).str());
      const std::string message = problem_of(problems, c.field);
      CHECK(message.find(c.expected) != std::string::npos);
      CHECK(message.find(c.value.text.size() > 4 ? c.value.text : "\x01") == std::string::npos);
   }
}

TEST_CASE("unknown properties are named") {
   auto problems = check(valid_imap().set("hots", "x").str());
   CHECK(problem_of(problems, "hots") == "is not a property of this action");
}

TEST_CASE("several problems are reported together - in field order") {
   auto problems = check(R"({"connection":"email_server","port":0,"protocol":"SMTP","host":"a b"})");
   REQUIRE(problems.size() == 5);
   CHECK(problems[0].field == "host");
   CHECK(problems[1].field == "port");
   CHECK(problems[2].field == "username");
   CHECK(problems[3].field == "password");
   CHECK(problems[4].field == "protocol");
   const std::string text = email::describe_problems(problems);
   CHECK(text.rfind("invalid properties: host must be", 0) == 0);
}

TEST_CASE("a bag that is not an object is refused as a whole") {
   SecretDocument bag;
   bag.Parse("[1,2]");
   auto problems = connect_schema().check(bag);
   REQUIRE(problems.size() == 1);
   CHECK(problems[0].field.empty());
}

TEST_CASE("Disconnect takes only a session name") {
   ActionSchema schema(email::embedded::disconnect_schema);
   SecretDocument ok, bad;
   ok.Parse(R"({"session_name":"Mail"})");
   bad.Parse(R"({"session_name":"","host":"x"})");
   CHECK(schema.check(ok).empty());
   auto problems = schema.check(bad);
   CHECK(problem_of(problems, "session_name") == "must not be empty");
   CHECK(problem_of(problems, "host") == "is not a property of this action");
}

TEST_CASE("defaults come from the schema") {
   CHECK(std::string(connect_schema().default_of("session_name")->GetString()) == "Default");
   CHECK(connect_schema().default_of("use_secure_connection")->GetBool());
   CHECK(connect_schema().default_of("timeout_seconds")->GetInt() == 30);
   CHECK(connect_schema().default_of("host") == nullptr);
}

}  // TEST_SUITE("schema")

// The schema files are themselves valid draft-04 schemas: checked against the published
// meta-schema, as Debian's python3-jsonschema ships it.
TEST_SUITE("schema") {
TEST_CASE("the schema files validate against the draft-04 meta-schema") {
   const std::string meta_text = read_file(RPA_DRAFT4_METASCHEMA);
   REQUIRE_MESSAGE(!meta_text.empty(),
                   "missing " RPA_DRAFT4_METASCHEMA " (Debian package python3-jsonschema)");
   rapidjson::Document meta;
   meta.Parse(meta_text.c_str());
   REQUIRE_FALSE(meta.HasParseError());
   rapidjson::SchemaDocument meta_schema(meta);
   for (const char *text : {email::embedded::connect_schema, email::embedded::disconnect_schema}) {
      rapidjson::Document schema;
      schema.Parse(text);
      rapidjson::SchemaValidator validator(meta_schema);
      CHECK_MESSAGE(schema.Accept(validator), "invalid at " << validator.GetInvalidSchemaKeyword());
   }
   // And the meta-schema catches a broken schema, so the check above can fail.
   rapidjson::Document broken;
   broken.Parse(R"({"type": "strnig", "required": []})");
   rapidjson::SchemaValidator validator(meta_schema);
   CHECK_FALSE(broken.Accept(validator));
}
}  // TEST_SUITE("schema")

// The Connect action validates bags from several host threads at once against one shared
// schema. (RapidJSON 1.1's own regex engine keeps its match state inside the compiled pattern,
// so the "host" pattern raced; the build uses std::regex instead — see plugin/CMakeLists.txt.)
#include <atomic>
#include <thread>

TEST_SUITE("schema") {
TEST_CASE("validation from many threads at once gives every thread the right answer") {
   const ActionSchema &schema = connect_schema();
   std::atomic<int> wrong{0};
   std::vector<std::thread> threads;
   for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
         for (int i = 0; i < 1500; ++i) {
            const bool valid = (i + t) % 2 == 0;
            SecretDocument bag;
            bag.Parse(
                valid_imap().set("host", valid ? "imap.example.com" : "imap example.com").str().c_str());
            const bool reported_valid = schema.check(bag).empty();
            if (reported_valid != valid) ++wrong;
         }
      });
   }
   for (auto &thread : threads) thread.join();
   CHECK(wrong.load() == 0);
}
}  // TEST_SUITE("schema")
