#include "net/bounded_call.h"

#include <atomic>
#include <list>
#include <thread>

#include "util/library_pin.h"

namespace email::bounded_calls {

namespace {

struct Worker {
   std::thread thread;
   std::shared_ptr<std::atomic<bool>> finished = std::make_shared<std::atomic<bool>>(false);
};

std::mutex g_mutex;
std::condition_variable g_one_finished;
std::list<Worker> g_workers;

// Joins the workers that have finished (their threads are about to end, or have). Holds g_mutex.
void reap_finished() {
   for (auto worker = g_workers.begin(); worker != g_workers.end();) {
      if (!worker->finished->load()) {
         ++worker;
         continue;
      }
      worker->thread.join();
      worker = g_workers.erase(worker);
   }
}

}  // namespace

void start_worker(std::function<void()> work) {
   std::lock_guard<std::mutex> lock(g_mutex);
   reap_finished();
   Worker &worker = g_workers.emplace_back();
   try {
      worker.thread = std::thread([work = std::move(work), finished = worker.finished]() mutable {
         try {
            work();
         } catch (...) {  // bounded_call's work catches its own; nothing may end the process
         }
         work = nullptr;  // what it held goes now, on this thread, before the worker counts as done
         std::lock_guard<std::mutex> done(g_mutex);
         finished->store(true);
         g_one_finished.notify_all();
      });
   } catch (...) {  // no thread to be had: nothing started
      g_workers.pop_back();
      throw;
   }
}

bool stop() {
   std::unique_lock<std::mutex> lock(g_mutex);
   const auto all_finished = [] {
      for (const Worker &worker : g_workers)
         if (!worker.finished->load()) return false;
      return true;
   };
   const bool drained = g_one_finished.wait_for(lock, kDrainWait, all_finished);
   reap_finished();
   if (!drained) {
      pin_plugin();  // their code runs on after deinit
      for (Worker &worker : g_workers) worker.thread.detach();
      g_workers.clear();
   }
   return drained;
}

}  // namespace email::bounded_calls
