#include "util/library_pin.h"

#include <dlfcn.h>

namespace email {

std::string library_of(const void *address) {
   Dl_info info{};
   return ::dladdr(address, &info) && info.dli_fname ? info.dli_fname : "";
}

void *pin_library(const std::string &path) {
   if (path.empty()) return nullptr;
   return ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);  // adds NODELETE
}

void pin_plugin() { pin_library(library_of(reinterpret_cast<const void *>(&pin_plugin))); }

}  // namespace email
