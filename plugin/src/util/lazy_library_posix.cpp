#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

#include "util/lazy_library.h"
#include "util/lazy_table.h"

// The plugin's tables (plugin/CMakeLists.txt). Weak: a program that links the libraries as usual
// (the unit tests) has no tables, and then there is nothing to load.
extern "C" {
__attribute__((weak)) extern email::LazyTable rpa_lazy_table_gmime;
__attribute__((weak)) extern email::LazyTable rpa_lazy_table_kerberos;
}

namespace email {

std::string load_lazy_table(LazyTable &table) {
   static std::mutex loading;
   static std::map<const LazyTable *, std::string> outcomes;  // by table: "" or why not
   std::lock_guard<std::mutex> one_at_a_time(loading);
   auto known = outcomes.find(&table);
   if (known != outcomes.end()) return known->second;

   std::string failure;
   std::vector<void *> libraries;
   for (const char *const *soname = table.sonames; *soname && failure.empty(); ++soname) {
      // Never closed: RTLD_NODELETE keeps each mapped until the process ends.
      void *library = ::dlopen(*soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
      if (library) {
         libraries.push_back(library);
      } else {
         const char *why = ::dlerror();
         failure = why ? why : std::string(*soname) + " could not be loaded";
      }
   }
   std::vector<void *> functions(table.count, nullptr);
   for (std::size_t i = 0; i < table.count && failure.empty(); ++i) {
      for (void *library : libraries)
         if ((functions[i] = ::dlsym(library, table.names[i])) != nullptr) break;
      if (!functions[i]) failure = std::string(table.sonames[0]) + " has no function " + table.names[i];
   }
   if (failure.empty())
      for (std::size_t i = 0; i < table.count; ++i)
         __atomic_store_n(&table.slots[i], functions[i], __ATOMIC_RELEASE);
   outcomes[&table] = failure;
   return failure;
}

namespace {

std::string load_if_lazy(LazyTable *table, const char *what) {
   if (!table) return "";  // linked as usual
   const std::string failure = load_lazy_table(*table);
   return failure.empty() ? "" : std::string(what) + " could not be loaded: " + failure;
}

}  // namespace

std::string load_gmime() { return load_if_lazy(&rpa_lazy_table_gmime, "GMime"); }

std::string load_kerberos() { return load_if_lazy(&rpa_lazy_table_kerberos, "MIT Kerberos"); }

}  // namespace email

extern "C" __attribute__((visibility("hidden"))) void *rpa_lazy_resolve(email::LazyTable *table,
                                                                        std::size_t index) {
   std::string failure;
   try {
      failure = email::load_lazy_table(*table);
   } catch (...) {
      failure = "out of memory";
   }
   if (!failure.empty()) {
      std::fprintf(stderr, "rpa_email: a library the plugin loads on first use could not be loaded: %s\n",
                   failure.c_str());
      std::abort();
   }
   return __atomic_load_n(&table->slots[index], __ATOMIC_ACQUIRE);
}
