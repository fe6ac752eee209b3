#include "plugin_registry.h"

#include <boost/filesystem.hpp>
#include <dlfcn.h>

#include <algorithm>

namespace rpa_host {

PluginRegistry::~PluginRegistry() {
   for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it)
      if ((*it)->entry->deinit) (*it)->entry->deinit();
   // The libraries were opened with RTLD_NODELETE: closing them does not unmap the code, in case
   // a thread or handle we do not know of still points into it (OBS does the same).
}

std::size_t PluginRegistry::load_folder(const std::string &folder,
                                        const std::function<void(const std::string &)> &warn) {
   namespace fs = boost::filesystem;
   boost::system::error_code error;
   if (!fs::is_directory(folder, error)) {
      warn("plugin folder \"" + folder + "\" does not exist");
      return 0;
   }
   std::vector<fs::path> files;
   for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
      const fs::path &path = it->path();
      const std::string extension = path.extension().string();
      if (extension == ".so" || extension == ".dll" || extension == ".dylib") files.push_back(path);
   }
   std::sort(files.begin(), files.end());

   std::size_t loaded = 0;
   for (const fs::path &path : files) {
      auto plugin = std::make_unique<LoadedPlugin>();
      plugin->path = path.string();
      try {
         plugin->library.load(boost::dll::fs::path(path.string()),
                              boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                                  static_cast<boost::dll::load_mode::type>(RTLD_NODELETE));
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
