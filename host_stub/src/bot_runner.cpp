#include "bot_runner.h"

#include <openssl/crypto.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "action_invoker.h"
#include "rpa_common/json.h"
#include "rpa_common/names.h"
#include "rpa_common/secret.h"
#include "rpa_common/wiping_allocator.h"

namespace rpa_host {

namespace {

using Step = BotStep;

}  // namespace

// Bot files may hold typed passwords: parse them into wiping memory.
bool parse_bot(std::string_view content, const std::string &path, std::vector<BotStep> &steps,
               std::ostream &errors) {
   rpa::SecretDocument bot;
   const rpa::JsonParseResult read = rpa::parse_json(bot, content.data(), content.size());
   if (!read) {
      errors << "rpa-host: \"" << path << "\" is not JSON: " << read.message() << "\n";
      return false;
   }
   if (!bot.IsObject() || !bot.HasMember("steps") || !bot["steps"].IsArray()) {
      errors << "rpa-host: \"" << path << "\" needs a \"steps\" array\n";
      return false;
   }
   std::size_t index = 0;
   for (auto &step : bot["steps"].GetArray()) {
      ++index;
      if (!step.IsObject() || !step.HasMember("action") || !step["action"].IsString()) {
         errors << "rpa-host: step " << index << " needs an \"action\" name\n";
         return false;
      }
      const std::string_view action(step["action"].GetString(), step["action"].GetStringLength());
      if (!rpa::is_clean_name(action)) {
         errors << "rpa-host: step " << index << ": the action name is empty or holds control characters\n";
         return false;
      }
      Step parsed{std::string(action), "{}"};
      if (step.HasMember("properties")) {
         if (!step["properties"].IsObject()) {
            errors << "rpa-host: step " << index << ": \"properties\" must be an object\n";
            return false;
         }
         using SecretBuffer = rapidjson::GenericStringBuffer<rapidjson::UTF8<>, rpa::WipingAllocator>;
         SecretBuffer buffer;
         rapidjson::Writer<SecretBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>, rpa::WipingAllocator> writer(
             buffer);
         step["properties"].Accept(writer);
         parsed.properties_json.assign(buffer.GetString(), buffer.GetSize());
      }
      steps.push_back(std::move(parsed));
   }
   return true;
}

bool read_bot_file(const std::string &path, rpa::SecretString &content, std::ostream &errors) {
   std::ifstream file(std::filesystem::u8path(path), std::ios::binary);
   if (!file) {
      errors << "rpa-host: cannot read the bot file \"" << path << "\"\n";
      return false;
   }
   std::stringstream text;
   text << file.rdbuf();
   content = rpa::SecretString(text.str());
   return true;
}

namespace {

bool read_steps(const std::string &path, std::vector<Step> &steps, std::ostream &errors) {
   rpa::SecretString content;
   return read_bot_file(path, content, errors) && parse_bot(content.view(), path, steps, errors);
}

void print_json(std::ostream &out, std::size_t index, const Step &step, const ActionOutcome &outcome) {
   rapidjson::StringBuffer buffer;
   rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
   json.StartObject();
   json.Key("step");
   json.Uint64(index);
   json.Key("action");
   json.String(step.action.c_str());
   write_outcome_members(json, outcome);
   json.Key("result");
   rapidjson::Document result;
   if (!rpa::parse_json(result, outcome.result_json))
      json.Null();
   else
      result.Accept(json);
   json.EndObject();
   out << buffer.GetString() << std::endl;
}

}  // namespace

int run_bot(const std::string &bot_path, const PluginRegistry &plugins, const HostServicesTable &host,
            bool json, std::ostream &out, std::ostream &errors) {
   std::vector<Step> steps;
   if (!read_steps(bot_path, steps, errors)) return kExitUsage;
   for (const Step &step : steps) {
      if (!plugins.find(step.action).descriptor) {
         errors << "rpa-host: no loaded plugin has the action \"" << step.action
                << "\" (see `rpa-host actions`)\n";
         return kExitUsage;
      }
   }
   std::size_t index = 0;
   for (Step &step : steps) {
      ++index;
      ActionOutcome outcome = invoke_action(plugins.find(step.action), step.properties_json, host);
      OPENSSL_cleanse(step.properties_json.data(), step.properties_json.size());
      if (json) {
         print_json(out, index, step, outcome);
      } else {
         out << "[" << index << "] " << step.action << ": "
             << (outcome.ok() ? "ok" : std::string("error (") + rpa_status_name(outcome.status) + ")")
             << " - " << outcome.message << std::endl;
      }
      if (!outcome.ok()) return kExitStepFailed;
   }
   return kExitOk;
}

}  // namespace rpa_host
