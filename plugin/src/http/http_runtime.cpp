#include "http/http_runtime.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <pplx/threadpool.h>

#include "http/cpprest_home.h"
#include "util/library_pin.h"

namespace email::http_runtime {

namespace {

std::mutex g_mutex;
std::condition_variable g_idle;
unsigned g_in_flight = 0;
bool g_owns_pool = false;
std::vector<std::thread> g_threads;

void run_threads(boost::asio::io_service &service,
                 const std::function<void(boost::asio::io_service &)> &run) {
   for (unsigned i = 0; i < kThreads; ++i) g_threads.emplace_back([&service, run] { run(service); });
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
   g_owns_pool = false;
   const CpprestHome home = find_cpprest_home();
   if (home.theirs || !home.run) return true;  // theirs, with their threads
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
   run_threads(service, home.run);
   return true;
}

bool stop() {
   std::unique_lock<std::mutex> lock(g_mutex);
   const bool drained = g_idle.wait_for(lock, kDrainWait, [] { return g_in_flight == 0; });
   // Plugin code still pending (a request, or a handler below) would run at the next start, from
   // unmapped code: then the plugin stays mapped.
   const auto stay_mapped = [] { pin_plugin(); };
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
