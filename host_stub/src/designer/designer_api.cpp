#include "designer/designer_api.h"

#include <openssl/crypto.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <sstream>

#include "action_invoker.h"
#include "system/atomic_file.h"
#include "bot_runner.h"
#include "system/file_lock.h"
#include "rpa/status.h"
#include "rpa_common/json.h"
#include "rpa_common/secret.h"
#include "rpa_common/wiping_allocator.h"

namespace rpa_host {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string written(const std::function<void(Writer &)> &write) {
   rapidjson::StringBuffer buffer;
   Writer writer(buffer);
   write(writer);
   return buffer.GetString();
}

// The member `name` of `object` as text, or "" when absent or not a string.
std::string text_of(const rpa::SecretDocument &object, const char *name) {
   auto found = object.FindMember(name);
   return found != object.MemberEnd() && found->value.IsString()
              ? std::string(found->value.GetString(), found->value.GetStringLength())
              : "";
}

// A body that is a JSON object, or an error answer in `error`.
bool read_body(const std::string &body, rpa::SecretDocument &document, ApiAnswer &error) {
   const rpa::JsonParseResult read = rpa::parse_json(document, body.data(), body.size());
   if (!read || !document.IsObject()) {
      error = api_error(
          400, read ? "the request is not a JSON object" : "the request is not JSON: " + read.message());
      return false;
   }
   return true;
}

}  // namespace

ApiAnswer api_error(int status, const std::string &message) {
   return {status, written([&](Writer &json) {
              json.StartObject();
              json.Key("error");
              json.String(message.c_str());
              json.EndObject();
           })};
}

ApiAnswer DesignerApi::actions() const {
   return {200, written([&](Writer &json) {
              json.StartObject();
              json.Key("actions");
              json.StartArray();
              for (const FoundAction &action : plugins_.actions()) {
                 const rpa_action_descriptor &d = *action.descriptor;
                 rapidjson::Document schema;
                 if (!rpa::parse_json(schema, d.schema_json) || !schema.IsObject()) continue;  // not drawable
                 json.StartObject();
                 json.Key("id");
                 json.String(d.id);
                 json.Key("package");
                 json.String(d.package);
                 json.Key("name");
                 json.String(d.name);
                 json.Key("label_en");
                 json.String(d.label_en ? d.label_en : d.name);
                 json.Key("label_ja");
                 json.String(d.label_ja ? d.label_ja : d.name);
                 json.Key("schema");
                 schema.Accept(json);
                 json.EndObject();
              }
              json.EndArray();
              json.EndObject();
           })};
}

ApiAnswer DesignerApi::vault_names() const {
   std::vector<std::string> names;
   if (vault_) names = vault_->list();
   return {200, written([&](Writer &json) {
              json.StartObject();
              json.Key("writable");
              json.Bool(vault_ != nullptr);
              json.Key("names");
              json.StartArray();
              for (const std::string &name : names) json.String(name.c_str());
              json.EndArray();
              json.EndObject();
           })};
}

ApiAnswer DesignerApi::store_secret(const std::string &body) {
   if (!vault_)
      return api_error(409, "no vault: start rpa-host designer with --vault FILE (and RPA_VAULT_PASSPHRASE)");
   rpa::SecretDocument request;
   ApiAnswer error;
   if (!read_body(body, request, error)) return error;
   const std::string locker = text_of(request, "locker"), credential = text_of(request, "credential"),
                     attribute = text_of(request, "attribute");
   auto value = request.FindMember("value");
   if (locker.empty() || credential.empty() || attribute.empty() || value == request.MemberEnd() ||
       !value->value.IsString() || value->value.GetStringLength() == 0)
      return api_error(400, "locker, credential, attribute and value are all required");
   vault_->set(locker, credential, attribute,
               rpa::SecretString(std::string_view(value->value.GetString(), value->value.GetStringLength())));
   host_.log(RPA_LOG_INFO, "designer: stored " + locker + "/" + credential + "/" + attribute);
   return {200, "{\"stored\":true}"};
}

ApiAnswer DesignerApi::invoke(const std::string &body, bool close_sessions) {
   rpa::SecretDocument request;
   ApiAnswer error;
   if (!read_body(body, request, error)) return error;
   const std::string name = text_of(request, "action");
   const FoundAction action = plugins_.find(name);
   if (!action.descriptor) return api_error(404, "no loaded plugin has the action \"" + name + "\"");
   auto properties = request.FindMember("properties");
   if (properties == request.MemberEnd() || !properties->value.IsObject())
      return api_error(400, "properties must be a JSON object");
   rapidjson::GenericStringBuffer<rapidjson::UTF8<>, rpa::WipingAllocator> bag;  // may hold typed secrets
   rapidjson::Writer<decltype(bag)> bag_writer(bag);
   properties->value.Accept(bag_writer);

   const std::vector<std::string> before = sessions_.names();
   const ActionOutcome outcome = invoke_action(action, std::string(bag.GetString(), bag.GetSize()), host_);
   if (close_sessions) close_sessions_since(before);  // Test connection: as Disconnect would
   return {200, written([&](Writer &json) {
              json.StartObject();
              write_outcome_members(json, outcome);
              json.EndObject();
           })};
}

void DesignerApi::close_sessions_since(const std::vector<std::string> &before) {
   for (const std::string &session : sessions_.names())
      if (std::find(before.begin(), before.end(), session) == before.end()) sessions_.remove(session);
}

ApiAnswer DesignerApi::save_bot(const std::string &body) {
   rpa::SecretDocument request;
   ApiAnswer error;
   if (!read_body(body, request, error)) return error;
   const std::string name = text_of(request, "path");
   auto steps = request.FindMember("steps");
   if (name.empty()) return api_error(400, "path is required");
   if (steps == request.MemberEnd() || !steps->value.IsArray())
      return api_error(400, "steps must be a JSON array");
   std::string refused;
   const std::string path = bots_.resolve(name, true, refused).u8string();
   if (path.empty()) return api_error(400, refused);
   rapidjson::GenericStringBuffer<rapidjson::UTF8<>, rpa::WipingAllocator> text;
   rapidjson::PrettyWriter<decltype(text)> writer(text);
   writer.SetIndent(' ', 2);
   writer.StartObject();
   writer.Key("steps");
   steps->value.Accept(writer);
   writer.EndObject();
   // What was written must be what `rpa-host run` reads.
   std::vector<BotStep> parsed;
   std::ostringstream why;
   if (!parse_bot(std::string_view(text.GetString(), text.GetSize()), path, parsed, why))
      return api_error(400, why.str());
   for (BotStep &step : parsed) OPENSSL_cleanse(step.properties_json.data(), step.properties_json.size());
   try {
      FileLock lock(path, FileLock::Mode::exclusive);
      replace_file(path, std::string_view(text.GetString(), text.GetSize()));
   } catch (const std::exception &failure) {  // the host's own words: the file and the system error
      return api_error(500, failure.what());
   }
   host_.log(RPA_LOG_INFO, "designer: saved " + std::to_string(parsed.size()) + " steps to " + path);
   return {200, written([&](Writer &json) {
              json.StartObject();
              json.Key("path");
              json.String(name.c_str());
              json.Key("file");
              json.String(path.c_str());
              json.Key("steps");
              json.Uint(static_cast<unsigned>(parsed.size()));
              json.EndObject();
           })};
}

ApiAnswer DesignerApi::run_bot_file(const std::string &body) {
   rpa::SecretDocument request;
   ApiAnswer error;
   if (!read_body(body, request, error)) return error;
   const std::string name = text_of(request, "path");
   if (name.empty()) return api_error(400, "path is required");
   std::string refused;
   const std::string path = bots_.resolve(name, false, refused).u8string();
   if (path.empty()) return api_error(400, refused);
   std::ostringstream out;
   const std::vector<std::string> before = sessions_.names();
   const int code = run_bot(path, plugins_, host_, false, out, out);
   close_sessions_since(before);  // a run ends as `rpa-host run` does
   return {200, written([&](Writer &json) {
              json.StartObject();
              json.Key("code");
              json.Int(code);
              json.Key("output");
              json.String(out.str().c_str());
              json.EndObject();
           })};
}

}  // namespace rpa_host
