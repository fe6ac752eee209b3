// SigpipeGuard: while one is alive, a SIGPIPE raised on this thread is held back, and on
// destruction a SIGPIPE it held is consumed. A write(2) to a socket whose peer has hung up raises
// SIGPIPE, and SIGPIPE ends the whole host process unless the host happens to ignore it. Only this
// thread's signal mask is touched, for the length of the call (curl's sigpipe.h ignores the signal
// process-wide instead, which races with other threads). Windows has no SIGPIPE (a send to a
// closed peer fails with an error): there it does nothing.
//
// The plugin's own sockets never need it: they send with MSG_NOSIGNAL (net/sockets.h), TLS
// included (net/tls_socket_bio.h). It is for a foreign library that writes to sockets of its own
// (GSSAPI asking a KDC through libkrb5), around that call only: it costs three system calls.
//
// Guards nest: within an outer guard on the same thread an inner one does nothing (no system
// call), since the outer one holds back and consumes the signal for both.
#pragma once

#ifdef _WIN32
namespace email {
class SigpipeGuard {
 public:
   SigpipeGuard() {}
   ~SigpipeGuard() {}  // (user-provided: a guard is not an unused variable)
   SigpipeGuard(const SigpipeGuard &) = delete;
   SigpipeGuard &operator=(const SigpipeGuard &) = delete;
};
}  // namespace email
#else

#  include <pthread.h>
#  include <signal.h>
#  include <time.h>

namespace email {

class SigpipeGuard {
 public:
   SigpipeGuard() : outermost_(depth()++ == 0) {
      if (!outermost_) return;
      sigemptyset(&pipe_);
      sigaddset(&pipe_, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
   }
   ~SigpipeGuard() {
      --depth();
      if (!outermost_) return;
      if (sigismember(&previous_, SIGPIPE)) return;  // it was blocked before us: not ours to take
      sigset_t pending;
      sigemptyset(&pending);
      if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
         const timespec now{0, 0};
         sigtimedwait(&pipe_, nullptr, &now);
      }
      pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
   }
   SigpipeGuard(const SigpipeGuard &) = delete;
   SigpipeGuard &operator=(const SigpipeGuard &) = delete;

 private:
   static int &depth() {
      static thread_local int guards = 0;  // alive on this thread
      return guards;
   }
   bool outermost_;
   sigset_t pipe_{};
   sigset_t previous_{};
};

}  // namespace email
#endif
