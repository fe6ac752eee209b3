// Wakeup: a socket that another thread can make readable, so that one poll() waits for a server
// and for "stop now" at once, without waking on a timer to ask. Made of sockets::socket_pair;
// signal() writes a byte (any thread, any number of times), and fd() stays readable from then on,
// until clear() reads what was written (a Wakeup that is rung more than once).
#pragma once

namespace email {

class Wakeup {
 public:
   Wakeup();  // fd() is -1 when the system gave no socket pair: then poll as before
   ~Wakeup();
   Wakeup(const Wakeup &) = delete;
   Wakeup &operator=(const Wakeup &) = delete;

   int fd() const { return fds_[0]; }
   void signal();
   // Reads every byte signal() wrote so far: fd() is no longer readable, until the next signal().
   // The thread that polls fd() calls it, then looks at why it was woken.
   void clear();

 private:
   int fds_[2] = {-1, -1};
};

}  // namespace email
