// system/plugin_library.h on Linux.
#include "system/plugin_library.h"

#include <dlfcn.h>

namespace rpa_host {

void load_plugin_library(boost::dll::shared_library &library, const std::filesystem::path &path) {
   library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                          static_cast<boost::dll::load_mode::type>(RTLD_NODELETE));
}

const char *plugin_library_suffix() { return ".so"; }

}  // namespace rpa_host
