// Loading a plugin's library so that it stays mapped until the process ends, whatever the plugin's
// threads or handles still point into (OBS keeps its modules the same way). Linux: dlopen with
// RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE. Windows: LoadLibraryExW with the DLL's own folder searched
// first for the DLLs it needs (LOAD_WITH_ALTERED_SEARCH_PATH), then pinned (GetModuleHandleExW with
// GET_MODULE_HANDLE_EX_FLAG_PIN). Throws what Boost.DLL throws, with the system's reason.
#pragma once

#include <boost/dll/shared_library.hpp>

#include <filesystem>

namespace rpa_host {

void load_plugin_library(boost::dll::shared_library &library, const std::filesystem::path &path);

// The file name suffix of a plugin library on this system: ".so" or ".dll".
const char *plugin_library_suffix();

}  // namespace rpa_host
