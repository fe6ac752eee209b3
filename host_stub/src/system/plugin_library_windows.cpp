// system/plugin_library.h on Windows.
#include "system/plugin_library.h"

#include <windows.h>

namespace rpa_host {

void load_plugin_library(boost::dll::shared_library &library, const std::filesystem::path &path) {
   const std::filesystem::path absolute = std::filesystem::absolute(path);
   library.load(absolute, boost::dll::load_mode::load_with_altered_search_path);
   HMODULE pinned = nullptr;
   GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_PIN, absolute.c_str(), &pinned);
}

const char *plugin_library_suffix() { return ".dll"; }

}  // namespace rpa_host
