// HttpRuntime: the threads cpprestsdk's HTTP client runs on, owned by the plugin from init to
// deinit, so that after deinit nothing of the plugin runs and dlclose() is safe.
//
// cpprestsdk runs every request and every pplx continuation on one process-wide asio
// io_service (crossplat::threadpool::shared_instance()), which by default gets 40 threads that
// are never stopped, and asio adds a resolver thread; unloading the library under them crashes
// the process. So, at init:
//   - libcpprest is pinned (RTLD_NODELETE): its pool lives in static storage that is never
//     destroyed, so the library must stay mapped once it was used (its fds: 3, made once);
//   - the pool is created with no threads of its own, and kThreads plugin threads run its
//     io_service instead.
// At deinit: wait for every request in flight (InFlight) to let go, stop the io_service, join
// the plugin's threads and asio's resolver thread (through notify_fork, asio's public way to
// park it). A later init restarts all of it.
//
// When another part of the process uses cpprestsdk too (an object other than the plugin and
// libcpprest itself needs libcpprest), the pool is theirs: it is left as they made it (libcpprest
// is pinned all the same, so its threads never outlive its code).
#pragma once

#include <chrono>

namespace email::http_runtime {

inline constexpr unsigned kThreads = 2;
// How long deinit waits for abandoned requests to let go.
inline constexpr std::chrono::seconds kDrainWait{10};

// Starts the runtime. Call from the plugin's init. Returns false when it cannot run.
bool start();
// Stops it. Call from the plugin's deinit, after the last invoke returned. Returns false when
// some request did not let go within kDrainWait: the plugin then pins itself, because that
// request will run plugin code once the runtime starts again.
bool stop();

// Held by every request from its start until its last continuation is gone; stop() waits
// until none is left.
class InFlight {
 public:
   InFlight();
   ~InFlight();
   InFlight(const InFlight &) : InFlight() {}
   InFlight &operator=(const InFlight &) = delete;
};

}  // namespace email::http_runtime
