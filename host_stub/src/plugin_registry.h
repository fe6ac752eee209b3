// PluginRegistry: loads every plugin in the plugin folders with Boost.DLL and keeps each library
// loaded for the registry's whole life, so no function pointer, descriptor or session handle that
// came from a plugin can outlive its code. Destroy the registry last (after the session table).
#pragma once

#include <boost/dll/shared_library.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rpa/ext/actions.h"
#include "rpa/plugin.h"

namespace rpa_host {

struct LoadedPlugin {
   boost::dll::shared_library library;
   const rpa_plugin_entry *entry = nullptr;
   const rpa_plugin_actions *actions = nullptr;  // "rpa.actions/1"; null when it offers none
   std::string path;
};

struct FoundAction {
   const LoadedPlugin *plugin = nullptr;
   const rpa_action_descriptor *descriptor = nullptr;
};

class PluginRegistry {
 public:
   PluginRegistry() = default;
   PluginRegistry(const PluginRegistry &) = delete;
   PluginRegistry &operator=(const PluginRegistry &) = delete;
   ~PluginRegistry();  // deinit every plugin; the libraries stay mapped until the process ends

   // Loads every plugin library (*.so, or *.dll on Windows) in `folder` (UTF-8). Plugins that fail to load or have an
   // incompatible ABI are skipped with a warning through `warn`. Returns how many loaded.
   std::size_t load_folder(const std::string &folder, const std::function<void(const std::string &)> &warn);

   // Every action of every plugin, in load order.
   std::vector<FoundAction> actions() const;
   // By "Package.Name" (e.g. "Email.Connect") or by id ("email.connect/1").
   FoundAction find(const std::string &name_or_id) const;

 private:
   std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
};

}  // namespace rpa_host
