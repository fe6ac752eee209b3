// cpprest_home on Linux (http/cpprest_home.h): libcpprest.so, pinned; its own scheduler::run.
#include "http/cpprest_home.h"

#include <dlfcn.h>
#include <link.h>

#include <cstring>
#include <string>

#include <pplx/threadpool.h>

#include "util/library_pin.h"

namespace email::http_runtime {

namespace {

// Whether a loaded object other than `self` and `cpprest` lists libcpprest as a dependency.
bool someone_else_uses_cpprest(const std::string &self, const std::string &cpprest) {
   struct Search {
      std::string self, cpprest;
      bool found = false;
   } search{self, cpprest};
   ::dl_iterate_phdr(
       [](dl_phdr_info *info, size_t, void *data) {
          auto &found = *static_cast<Search *>(data);
          const std::string name = info->dlpi_name && *info->dlpi_name ? info->dlpi_name : "";
          if (name == found.self || name == found.cpprest) return 0;
          for (int i = 0; i < info->dlpi_phnum; ++i) {
             if (info->dlpi_phdr[i].p_type != PT_DYNAMIC) continue;
             const auto *dynamic =
                 reinterpret_cast<const ElfW(Dyn) *>(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
             const char *strings = nullptr;
             for (const ElfW(Dyn) *d = dynamic; d->d_tag != DT_NULL; ++d)
                if (d->d_tag == DT_STRTAB)  // relocated by the loader, except in read-only sections
                   strings = reinterpret_cast<const char *>(
                       d->d_un.d_ptr < info->dlpi_addr ? d->d_un.d_ptr + info->dlpi_addr : d->d_un.d_ptr);
             if (!strings) continue;
             for (const ElfW(Dyn) *d = dynamic; d->d_tag != DT_NULL; ++d)
                if (d->d_tag == DT_NEEDED && std::strstr(strings + d->d_un.d_val, "libcpprest"))
                   found.found = true;
          }
          return found.found ? 1 : 0;
       },
       &search);
   return search.found;
}

// The io_service's run loop as libcpprest compiled it. Not io_service::run() from the plugin's own
// copy of the asio headers: asio keeps "which scheduler runs on this thread" in a thread-local
// that each shared object has its own copy of, and libcpprest's handlers must find it set.
using SchedulerRun = std::size_t (*)(boost::asio::detail::scheduler *, boost::system::error_code &);

}  // namespace

CpprestHome find_cpprest_home() {
   const std::string cpprest =
       library_of(reinterpret_cast<const void *>(&crossplat::threadpool::shared_instance));
   const std::string self = library_of(reinterpret_cast<const void *>(&find_cpprest_home));
   CpprestHome home;
   // Pinned in any case: its pool's threads must never outlive its code.
   void *library = pin_library(cpprest);
   if (someone_else_uses_cpprest(self, cpprest)) {
      home.theirs = true;
      return home;
   }
   if (!library) return home;  // cannot pin: leave cpprestsdk as it is
   const auto run = reinterpret_cast<SchedulerRun>(
       ::dlsym(library, "_ZN5boost4asio6detail9scheduler3runERNS_6system10error_codeE"));
   if (!run) return home;  // a libcpprest built differently: its own threads then
   home.run = [run](boost::asio::io_service &service) {
      boost::system::error_code ignored;
      run(&boost::asio::use_service<boost::asio::detail::io_context_impl>(service), ignored);
   };
   return home;
}

}  // namespace email::http_runtime
