#include "actions/action_table.h"

#include <cstring>
#include <string>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "actions/authorize_action.h"
#include "actions/connect_migration.h"
#include "actions/connect_action.h"
#include "actions/disconnect_action.h"
#include "actions/wait_action.h"
#include "embedded_schemas.h"
#include "properties/connect_request.h"
#include "rpa_common/names.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

ActionTable::ActionTable(const std::vector<ActionDefinition> &definitions) {
   for (const ActionDefinition &definition : definitions) {
      std::unique_ptr<ActionSchema> &schema = schemas_[definition.schema_text];
      if (!schema) schema = std::make_unique<ActionSchema>(definition.schema_text);
      Entry entry;
      entry.descriptor = {
          sizeof(rpa_action_descriptor), definition.id,       definition.package,        definition.name,
          definition.label_en,           definition.label_ja, definition.description_en, schema->text()};
      entry.schema = schema.get();
      entry.run = definition.run;
      entry.migrate = definition.migrate;
      entries_.push_back(entry);
   }
}

const rpa_action_descriptor *ActionTable::descriptor(std::uint32_t index) const {
   return index < entries_.size() ? &entries_[index].descriptor : nullptr;
}

const ActionTable::Entry &ActionTable::entry_for(const char *action_id) const {
   if (!action_id || !rpa::is_clean_name(action_id))
      throw Failure(RPA_INVALID_PROPERTIES, "the action id is missing, empty or holds control characters");
   for (const Entry &entry : entries_)
      if (std::strcmp(entry.descriptor.id, action_id) == 0) return entry;
   throw Failure(RPA_UNSUPPORTED,
                 std::string("the Email plugin has no action \"") + printable(action_id, 100) + "\"");
}

ActionOutcome ActionTable::invoke(const char *action_id, const char *properties_json,
                                  std::size_t properties_size, const HostServices &host) const {
   const Entry &entry = entry_for(action_id);
   SecretDocument bag;
   parse_property_bag(properties_json, properties_size, bag);
   require_valid(*entry.schema, bag);
   return entry.run(*entry.schema, bag, host);
}

SecretString ActionTable::migrate(const char *action_id, const char *properties_json,
                                  std::size_t properties_size) const {
   const Entry &entry = entry_for(action_id);
   SecretDocument bag;
   parse_property_bag(properties_json, properties_size, bag);
   if (!bag.IsObject()) throw Failure(RPA_INVALID_PROPERTIES, "invalid properties: not a JSON object");
   StepMigration migration = entry.migrate ? entry.migrate(*entry.schema, bag) : StepMigration{};
   rapidjson::GenericStringBuffer<rapidjson::UTF8<>, rpa::WipingAllocator> buffer;
   rapidjson::Writer<decltype(buffer), rapidjson::UTF8<>, rapidjson::UTF8<>, rpa::WipingAllocator> writer(
       buffer);
   writer.StartObject();
   writer.Key("changed");
   writer.Bool(migration.changed);
   if (migration.changed) {
      writer.Key("properties");
      migration.properties.Accept(writer);
   }
   writer.Key("notes");
   writer.StartArray();
   for (const std::string &note : migration.notes)
      writer.String(note.data(), static_cast<rapidjson::SizeType>(note.size()));
   writer.EndArray();
   writer.EndObject();
   return SecretString(std::string_view(buffer.GetString(), buffer.GetSize()));
}

// The one table of the Email package's actions. Authorize takes a Connect bag, so it shares
// Connect's schema (compiled once).
std::vector<ActionDefinition> email_actions() {
   return {
       {"email.connect/1", "Email", "Connect", "Connect", "接続",
        "Connects to a mailbox (Outlook, IMAP/POP3 email server or EWS) and keeps the connection under "
        "a session name for the other Email actions.",
        embedded::connect_schema, &run_connect, &migrate_connect_bag},
       {"email.authorize/1", "Email", "Authorize", "Authorize", "承認",
        "Signs in once in a browser for a Connect action with auth_type \"oauth2\" and keeps the "
        "sign-in (a refresh token) in the Credential Vault; later connects need no password.",
        embedded::connect_schema, &run_authorize, &migrate_connect_bag},
       {"email.disconnect/1", "Email", "Disconnect", "Disconnect", "切断",
        "Logs out of a session opened by Connect and frees its name.", embedded::disconnect_schema,
        &run_disconnect},
       {"email.wait-for-message/1", "Email", "WaitForMessage", "Wait for message", "メッセージの受信を待機",
        "Waits until a message arrives in a folder of a session opened by Connect and returns the "
        "messages that arrived since the cursor, with the cursor for the next wait.",
        embedded::wait_schema, &run_wait_for_message},
   };
}

}  // namespace email
