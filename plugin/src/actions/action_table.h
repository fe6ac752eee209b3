// ActionTable: the plugin's actions, built once at init. Each distinct schema text is compiled
// once and shared (Connect and Authorize take the same bag). `invoke` is the one path every action
// runs through: find the action, parse the bag, validate it against the action's schema (every
// problem named by field), then run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "actions/action.h"

namespace email {

class ActionTable {
 public:
   // Throws when a schema is not usable (a build defect).
   explicit ActionTable(const std::vector<ActionDefinition> &definitions);

   std::uint32_t count() const { return static_cast<std::uint32_t>(entries_.size()); }
   // The descriptor at `index`, or nullptr.
   const rpa_action_descriptor *descriptor(std::uint32_t index) const;

   // Throws Failure: unsupported for an unknown id, invalid_properties for a bag that is not a
   // JSON object or breaks the schema, and whatever the action throws.
   ActionOutcome invoke(const char *action_id, const char *properties_json, std::size_t properties_size,
                        const HostServices &host) const;

   // The "rpa.step-migration/1" answer for a saved step: {"changed", "properties"?, "notes"}, as
   // JSON text (it may hold the bag's typed passwords, hence a SecretString). Throws Failure:
   // unsupported for an unknown id, invalid_properties for a bag that is not a JSON object.
   SecretString migrate(const char *action_id, const char *properties_json,
                        std::size_t properties_size) const;

 private:
   struct Entry {
      rpa_action_descriptor descriptor{};
      const ActionSchema *schema = nullptr;
      ActionRun run = nullptr;
      ActionMigrate migrate = nullptr;
   };
   // The entry of `action_id`; throws invalid_properties (a bad id) or unsupported (none).
   const Entry &entry_for(const char *action_id) const;

   std::map<const char *, std::unique_ptr<ActionSchema>> schemas_;  // by embedded text
   std::vector<Entry> entries_;
};

// The Email package's actions: Connect, Authorize, Disconnect.
std::vector<ActionDefinition> email_actions();

}  // namespace email
