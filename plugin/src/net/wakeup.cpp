#include "net/wakeup.h"

#include "net/sockets.h"

namespace email {

Wakeup::Wakeup() {
   if (!sockets::socket_pair(fds_)) fds_[0] = fds_[1] = -1;
}

Wakeup::~Wakeup() {
   sockets::close(fds_[0]);
   sockets::close(fds_[1]);
}

void Wakeup::signal() {
   const char byte = 1;
   if (fds_[1] >= 0) sockets::send_nowait(fds_[1], &byte, 1);  // a full buffer is readable already
}

void Wakeup::clear() {
   char bytes[64];
   while (fds_[0] >= 0 && sockets::recv(fds_[0], bytes, sizeof bytes) > 0) {
   }  // non-blocking: ends when nothing is left (or on an error, which the next poll shows)
}

}  // namespace email
