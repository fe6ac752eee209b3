// FileLock's waiting, the same on every system; the system calls are in file_lock_<system>.cpp.
#include "system/file_lock.h"

#include <algorithm>
#include <thread>

namespace rpa_host {

FileLock::FileLock(const std::string &guarded, Mode mode, std::chrono::milliseconds wait) {
   const std::string path = guarded + ".lock";
   std::string error;
   const Handle file = open_lock_file(path, error);
   if (file == -1) throw std::runtime_error("cannot open the lock file \"" + path + "\": " + error);
   const auto until = std::chrono::steady_clock::now() + wait;
   auto pause = std::chrono::milliseconds(1);
   bool busy = false;
   while (!try_lock(file, mode, busy, error)) {
      if (!busy) {
         close_lock_file(file);
         throw std::runtime_error("cannot lock \"" + path + "\": " + error);
      }
      if (std::chrono::steady_clock::now() >= until) {
         close_lock_file(file);
         throw LockTimeout("\"" + guarded + "\" stayed locked by another process for " +
                           std::to_string(wait.count() / 1000) + " s (" + path + "); try again");
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(20));
   }
   handle_ = file;
}

FileLock::~FileLock() {
   if (handle_ != -1) close_lock_file(handle_);
}

}  // namespace rpa_host
