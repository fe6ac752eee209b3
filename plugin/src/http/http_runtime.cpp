#include "http/http_runtime.h"

#include <dlfcn.h>
#include <link.h>

#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <pplx/threadpool.h>

#include "util/library_pin.h"

namespace email::http_runtime {

namespace {

std::mutex g_mutex;
std::condition_variable g_idle;
unsigned g_in_flight = 0;
bool g_owns_pool = false;
std::vector<std::thread> g_threads;

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
SchedulerRun g_scheduler_run = nullptr;

void run_threads(boost::asio::io_service &service) {
   boost::asio::detail::scheduler *scheduler =
       &boost::asio::use_service<boost::asio::detail::io_context_impl>(service);
   for (unsigned i = 0; i < kThreads; ++i)
      g_threads.emplace_back([scheduler] {
         boost::system::error_code ignored;
         g_scheduler_run(scheduler, ignored);
      });
}

}  // namespace

InFlight::InFlight() {
   std::lock_guard<std::mutex> lock(g_mutex);
   ++g_in_flight;
}

InFlight::~InFlight() {
   std::lock_guard<std::mutex> lock(g_mutex);
   if (--g_in_flight == 0) g_idle.notify_all();
}

bool start() {
   std::lock_guard<std::mutex> lock(g_mutex);
   const std::string cpprest =
       library_of(reinterpret_cast<const void *>(&crossplat::threadpool::shared_instance));
   const std::string self = library_of(reinterpret_cast<const void *>(&start));
   g_owns_pool = false;
   // Pinned in any case: its pool's threads must never outlive its code.
   void *library = pin_library(cpprest);
   if (someone_else_uses_cpprest(self, cpprest)) return true;  // theirs, with their threads
   if (!library) return true;                                  // cannot pin: leave cpprestsdk as it is
   g_scheduler_run = reinterpret_cast<SchedulerRun>(
       ::dlsym(library, "_ZN5boost4asio6detail9scheduler3runERNS_6system10error_codeE"));
   if (!g_scheduler_run) return true;  // a libcpprest built differently: its own threads then
   try {
      crossplat::threadpool::initialize_with_threads(0);  // first use in this process: ours
   } catch (const std::exception &) {
      // Made earlier: by an earlier load of this plugin (then it is stopped and has no threads)
      // or by someone who does not link libcpprest directly (then it runs its own threads).
      if (!crossplat::threadpool::shared_instance().service().stopped()) return true;
   }
   boost::asio::io_service &service = crossplat::threadpool::shared_instance().service();
   service.notify_fork(boost::asio::io_context::fork_parent);  // un-parks the resolver
   service.restart();
   g_owns_pool = true;
   run_threads(service);
   return true;
}

bool stop() {
   std::unique_lock<std::mutex> lock(g_mutex);
   const bool drained = g_idle.wait_for(lock, kDrainWait, [] { return g_in_flight == 0; });
   // Plugin code still pending (a request, or a handler below) would run at the next start, from
   // unmapped code: then the plugin stays mapped.
   const auto stay_mapped = [] { pin_library(library_of(reinterpret_cast<const void *>(&stop))); };
   if (!g_owns_pool) {
      if (!drained) stay_mapped();
      return drained;
   }
   boost::asio::io_service &service = crossplat::threadpool::shared_instance().service();
   // Let what the finished requests queued run out, then stop: a handler posted now runs after
   // the ones already queued on each thread.
   bool settled = true;
   for (unsigned i = 0; i < kThreads; ++i) {
      struct Barrier {
         std::mutex mutex;
         std::condition_variable reached;
         bool done = false;
      };
      auto barrier = std::make_shared<Barrier>();
      service.post([barrier] {
         std::lock_guard<std::mutex> reached(barrier->mutex);
         barrier->done = true;
         barrier->reached.notify_all();
      });
      lock.unlock();
      {
         std::unique_lock<std::mutex> waiting(barrier->mutex);
         settled = barrier->reached.wait_for(waiting, std::chrono::seconds(2), [&] {
            return barrier->done;
         }) && settled;
      }
      lock.lock();
   }
   if (!drained || !settled) stay_mapped();
   service.stop();
   std::vector<std::thread> threads;
   threads.swap(g_threads);
   lock.unlock();
   for (std::thread &thread : threads) thread.join();
   service.notify_fork(boost::asio::io_context::fork_prepare);  // joins asio's resolver thread
   return drained;
}

}  // namespace email::http_runtime
