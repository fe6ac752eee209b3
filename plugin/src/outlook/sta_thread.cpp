// outlook/sta_thread.h: an STA thread with a message loop and a message filter, as a bounded_calls
// worker.
#include "outlook/sta_thread.h"

#include <windows.h>
#include <objbase.h>

#include <deque>

#include "net/bounded_call.h"
#include "outlook/com_dispatch.h"
#include "rpa_common/utf16.h"
#include "util/failure.h"

namespace email {

namespace {

// The message filter of every session thread (IMessageFilter, as Microsoft's "Fixing 'Application
// is Busy' and 'Call was Rejected By Callee' errors" describes): a call Outlook rejects as busy is
// tried again every 100 ms while the task's caller still waits (com::RetryWindow). Stateless, one
// for the process; COM's reference counting of it is moot.
// COM objects are released through Release, never deleted through the interface.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class BusyRetryFilter final : public IMessageFilter {
 public:
   HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void **object) override {
      if (iid == IID_IUnknown || iid == IID_IMessageFilter) {
         *object = static_cast<IMessageFilter *>(this);
         return S_OK;
      }
      *object = nullptr;
      return E_NOINTERFACE;
   }
   ULONG STDMETHODCALLTYPE AddRef() override { return 2; }
   ULONG STDMETHODCALLTYPE Release() override { return 1; }
   DWORD STDMETHODCALLTYPE HandleInComingCall(DWORD, HTASK, DWORD, LPINTERFACEINFO) override {
      return SERVERCALL_ISHANDLED;
   }
   DWORD STDMETHODCALLTYPE RetryRejectedCall(HTASK, DWORD, DWORD reject_type) override {
      if (reject_type != SERVERCALL_RETRYLATER || !com::RetryWindow::open()) return static_cast<DWORD>(-1);
      return static_cast<DWORD>(com::kBusyRetry.count());  // try again after this many ms
   }
   DWORD STDMETHODCALLTYPE MessagePending(HTASK, DWORD, DWORD) override { return PENDINGMSG_WAITDEFPROCESS; }
};
#pragma GCC diagnostic pop

BusyRetryFilter g_busy_retry_filter;

struct Task {
   std::chrono::steady_clock::time_point deadline;
   const std::atomic<bool> *abandoned;
   std::function<void()> work;
};

}  // namespace

struct StaThread::Shared {
   std::mutex mutex;
   std::condition_variable changed;
   std::deque<Task> tasks;
   bool stopping = false;
   bool ended = false;
   HANDLE wake = nullptr;      // set when a task is queued or the thread should end
   HRESULT started = S_FALSE;  // S_FALSE: not yet known

   ~Shared() {
      if (wake) CloseHandle(wake);
   }
};

StaThread::StaThread() : shared_(std::make_shared<Shared>()) {
   shared_->wake = CreateEventW(nullptr, FALSE, FALSE, nullptr);
   if (!shared_->wake)
      throw Failure(RPA_INTERNAL,
                    "cannot create the Outlook session's thread: " + rpa::windows_error_text(GetLastError()));
   std::shared_ptr<Shared> shared = shared_;
   bounded_calls::start_worker([shared] { run_apartment(*shared); });
   std::unique_lock<std::mutex> lock(shared_->mutex);
   shared_->changed.wait(lock, [&] { return shared_->started != S_FALSE; });
   if (FAILED(shared_->started))
      throw Failure(RPA_INTERNAL, "cannot initialize COM on the Outlook session's thread: " +
                                      rpa::windows_error_text(static_cast<unsigned long>(shared_->started)));
}

void StaThread::post(std::chrono::steady_clock::time_point deadline, const std::atomic<bool> *abandoned,
                     std::function<void()> task) {
   {
      std::lock_guard<std::mutex> lock(shared_->mutex);
      if (shared_->stopping) throw Failure(RPA_SESSION_NOT_FOUND, "the Outlook session is closed");
      shared_->tasks.push_back(Task{deadline, abandoned, std::move(task)});
   }
   SetEvent(shared_->wake);
}

void StaThread::stop(std::function<void()> last) {
   std::unique_lock<std::mutex> lock(shared_->mutex);
   if (shared_->stopping) return;
   if (last) shared_->tasks.push_back(Task{std::chrono::steady_clock::now(), nullptr, std::move(last)});
   shared_->stopping = true;
   SetEvent(shared_->wake);
   shared_->changed.wait_for(lock, kLastTaskWait, [&] { return shared_->ended; });
}

StaThread::~StaThread() { stop(nullptr); }

void StaThread::run_apartment(Shared &shared) {
   const HRESULT initialized = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
   if (SUCCEEDED(initialized)) {
      IMessageFilter *previous = nullptr;
      CoRegisterMessageFilter(&g_busy_retry_filter, &previous);
   }
   {
      std::lock_guard<std::mutex> lock(shared.mutex);
      shared.started = SUCCEEDED(initialized) ? S_OK : initialized;
      shared.changed.notify_all();
   }
   if (FAILED(initialized)) return;
   for (;;) {
      std::optional<Task> task;
      bool stop = false;
      {
         std::lock_guard<std::mutex> lock(shared.mutex);
         if (!shared.tasks.empty()) {
            task.emplace(std::move(shared.tasks.front()));
            shared.tasks.pop_front();
         } else {
            stop = shared.stopping;
         }
      }
      if (task) {
         com::RetryWindow window(task->deadline, task->abandoned);
         task->work();  // catches its own exceptions (StaThread::run)
         task.reset();  // what it held is released here, in the apartment
         continue;
      }
      if (stop) break;
      // Waits for a task, pumping the apartment's messages meanwhile.
      MsgWaitForMultipleObjectsEx(1, &shared.wake, INFINITE, QS_ALLINPUT, MWMO_INPUTAVAILABLE);
      MSG message;
      while (PeekMessageW(&message, nullptr, 0, 0, PM_REMOVE)) {
         TranslateMessage(&message);
         DispatchMessageW(&message);
      }
   }
   CoRegisterMessageFilter(nullptr, nullptr);
   CoUninitialize();
   std::lock_guard<std::mutex> lock(shared.mutex);
   shared.ended = true;
   shared.changed.notify_all();
}

}  // namespace email
