// util/library_pin.h on Windows: modules by address (GetModuleHandleExW) and pinned with
// GET_MODULE_HANDLE_EX_FLAG_PIN (the module stays loaded until the process ends).
#include "util/library_pin.h"

#include <windows.h>

#include "rpa_common/utf16.h"

namespace email {

using rpa::narrow;
using rpa::widen;

namespace {

HMODULE module_at(const void *address) {
   HMODULE module = nullptr;
   GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                      static_cast<LPCWSTR>(address), &module);
   return module;
}

std::string module_path(HMODULE module) {
   if (!module) return "";
   std::wstring path(32768, L'\0');
   const DWORD length = GetModuleFileNameW(module, path.data(), static_cast<DWORD>(path.size()));
   path.resize(length);
   return narrow(path);
}

}  // namespace

std::string library_of(const void *address) { return module_path(module_at(address)); }

void *pin_library(const std::string &path) {
   if (path.empty()) return nullptr;
   HMODULE own = module_at(reinterpret_cast<const void *>(&pin_library));
   if (path == module_path(own)) return own;  // linked into the plugin: it goes with the plugin
   HMODULE module = nullptr;
   GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_PIN, widen(path).c_str(), &module);
   return module;
}

void pin_plugin() {
   HMODULE module = nullptr;
   GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                      reinterpret_cast<LPCWSTR>(&pin_plugin), &module);
}

}  // namespace email
