#include "bot_migration.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <vector>

#include "bot_runner.h"
#include "rpa/ext/step_migration.h"
#include "rpa_common/json.h"
#include "rpa_common/secret.h"
#include "rpa_common/wiping_allocator.h"

namespace rpa_host {

namespace {

using SecretBuffer = rapidjson::GenericStringBuffer<rapidjson::UTF8<>, rpa::WipingAllocator>;

void append_to(const rpa_text_sink *sink, const char *data, size_t size) {
   static_cast<rpa::SecretString *>(sink->sink_data)->append(std::string_view(data, size));
}

std::string step_label(std::size_t index, const BotStep &step, const rpa::SecretValue &properties) {
   std::string label = "step " + std::to_string(index) + " (" + step.action;
   if (properties.IsObject() && properties.HasMember("session_name") && properties["session_name"].IsString())
      label += std::string(" \"") + properties["session_name"].GetString() + "\"";
   return label + ")";
}

}  // namespace

int migrate_bot(const std::string &bot_path, const PluginRegistry &plugins, std::ostream &out,
                std::ostream &errors) {
   rpa::SecretString content;
   std::vector<BotStep> steps;
   if (!read_bot_file(bot_path, content, errors) || !parse_bot(content.view(), bot_path, steps, errors))
      return kExitUsage;
   rpa::SecretDocument bot;  // parse_bot accepted it, so it parses
   rpa::parse_json(bot, content.data(), content.size());

   std::size_t rewritten = 0;
   rpa::SecretValue &saved_steps = bot["steps"];
   for (std::size_t i = 0; i < steps.size(); ++i) {
      rpa::SecretValue &saved = saved_steps[static_cast<rapidjson::SizeType>(i)];
      static const rpa::SecretValue no_properties(rapidjson::kObjectType);
      const rpa::SecretValue &properties =
          saved.HasMember("properties") ? saved["properties"] : no_properties;
      const std::string label = step_label(i + 1, steps[i], properties);
      FoundAction action = plugins.find(steps[i].action);
      if (!action.descriptor) {
         errors << label << ": no loaded plugin has this action; left as it is\n";
         continue;
      }
      const auto *migration = static_cast<const rpa_plugin_step_migration *>(
          action.plugin->entry->get_extension(RPA_EXT_STEP_MIGRATION));
      if (!migration || !migration->migrate_step) continue;

      rpa::SecretString answer;
      const rpa_text_sink sink{sizeof(rpa_text_sink), &answer, &append_to};
      const rpa_status status = migration->migrate_step(
          action.descriptor->id, steps[i].properties_json.data(), steps[i].properties_json.size(), &sink);
      rpa::SecretDocument result;
      if (status != RPA_OK) {
         errors << "rpa-host: " << label
                << ": the plugin could not migrate it: " << std::string(answer.view()) << "\n";
         return kExitStepFailed;
      }
      if (!rpa::parse_json(result, answer.data(), answer.size()) || !result.IsObject() ||
          !result.HasMember("changed") || !result["changed"].IsBool()) {
         errors << "rpa-host: " << label << ": the plugin's migration answer is not the documented JSON\n";
         return kExitStepFailed;
      }
      if (result.HasMember("notes") && result["notes"].IsArray())
         for (auto &note : result["notes"].GetArray())
            if (note.IsString()) errors << label << ": " << note.GetString() << "\n";
      if (!result["changed"].GetBool()) continue;
      if (!result.HasMember("properties") || !result["properties"].IsObject()) {
         errors << "rpa-host: " << label << ": the plugin changed the step but sent no properties\n";
         return kExitStepFailed;
      }
      rpa::SecretValue replacement(result["properties"], bot.GetAllocator());
      if (saved.HasMember("properties"))
         saved["properties"] = replacement;
      else
         saved.AddMember("properties", replacement, bot.GetAllocator());
      ++rewritten;
   }

   SecretBuffer buffer;
   rapidjson::PrettyWriter<SecretBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>, rpa::WipingAllocator> writer(
       buffer);
   writer.SetIndent(' ', 2);
   bot.Accept(writer);
   out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
   out << "\n";
   errors << "migrate: " << rewritten << " of " << steps.size() << " steps rewritten\n";
   return kExitOk;
}

}  // namespace rpa_host
