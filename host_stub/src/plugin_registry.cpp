#include "plugin_registry.h"

#include <algorithm>
#include <filesystem>

#include "system/plugin_library.h"

namespace rpa_host {

PluginRegistry::~PluginRegistry() {
   for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it)
      if ((*it)->entry->deinit) (*it)->entry->deinit();
   // The libraries stay mapped (system/plugin_library.h): closing them does not unmap the code, in
   // case a thread or handle we do not know of still points into it.
}

std::size_t PluginRegistry::load_folder(const std::string &folder,
                                        const std::function<void(const std::string &)> &warn) {
   namespace fs = std::filesystem;
   std::error_code error;
   const fs::path root = fs::u8path(folder);
   if (!fs::is_directory(root, error)) {
      warn("plugin folder \"" + folder + "\" does not exist");
      return 0;
   }
   std::vector<fs::path> files;
   for (fs::directory_iterator it(root, error), end; !error && it != end; it.increment(error))
      if (it->path().extension() == plugin_library_suffix()) files.push_back(it->path());
   std::sort(files.begin(), files.end());

   std::size_t loaded = 0;
   for (const fs::path &path : files) {
      auto plugin = std::make_unique<LoadedPlugin>();
      plugin->path = path.u8string();
      try {
         load_plugin_library(plugin->library, path);
      } catch (const std::exception &load_error) {
         warn("skipping \"" + plugin->path + "\": cannot load it: " + load_error.what());
         continue;
      }
      if (!plugin->library.has(RPA_ENTRY_SYMBOL)) {
         warn("skipping \"" + plugin->path + "\": it exports no " RPA_ENTRY_SYMBOL);
         continue;
      }
      plugin->entry = &plugin->library.get<const rpa_plugin_entry>(RPA_ENTRY_SYMBOL);
      if (!rpa_plugin_entry_is_compatible(plugin->entry)) {
         warn("skipping \"" + plugin->path + "\": its ABI version " +
              std::to_string(plugin->entry->abi_version.major) + "." +
              std::to_string(plugin->entry->abi_version.minor) + " does not match this host's " +
              std::to_string(RPA_VERSION_MAJOR) + "." + std::to_string(RPA_VERSION_MINOR) +
              " (or its entry lacks a core function)");
         continue;
      }
      rpa_host_info info{sizeof(rpa_host_info), RPA_VERSION_INIT, "rpa-host", plugin->path.c_str()};
      if (!plugin->entry->init(&info)) {
         warn("skipping \"" + plugin->path + "\": it refused to start with this host");
         continue;
      }
      const auto *actions =
          static_cast<const rpa_plugin_actions *>(plugin->entry->get_extension(RPA_EXT_ACTIONS));
      if (actions && actions->count && actions->get && actions->invoke) plugin->actions = actions;
      plugins_.push_back(std::move(plugin));
      ++loaded;
   }
   return loaded;
}

std::vector<FoundAction> PluginRegistry::actions() const {
   std::vector<FoundAction> found;
   for (const auto &plugin : plugins_) {
      if (!plugin->actions) continue;
      for (uint32_t i = 0, n = plugin->actions->count(); i < n; ++i) {
         const rpa_action_descriptor *descriptor = plugin->actions->get(i);
         if (descriptor) found.push_back({plugin.get(), descriptor});
      }
   }
   return found;
}

FoundAction PluginRegistry::find(const std::string &name_or_id) const {
   for (const FoundAction &action : actions()) {
      const std::string qualified = std::string(action.descriptor->package) + "." + action.descriptor->name;
      if (qualified == name_or_id || name_or_id == action.descriptor->id) return action;
   }
   return {};
}

}  // namespace rpa_host
