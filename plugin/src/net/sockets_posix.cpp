// sockets on Linux: BSD sockets (net/sockets.h).
#include "net/sockets.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace email::sockets {

pollfd poll_entry(int fd, short events) { return pollfd{fd, events, 0}; }

int poll(pollfd *entries, PollCount count, int timeout_ms) {
   const int ready = ::poll(entries, count, timeout_ms);
   return ready < 0 && errno == EINTR ? 0 : ready;
}

bool peer_hung_up(int fd) {
   pollfd entry{fd, POLLRDHUP, 0};
   return ::poll(&entry, 1, 0) > 0 && (entry.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

int open_stream(int family, bool nonblocking) {
   return ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
}

bool socket_pair(int fds[2]) {
   return ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) == 0;
}

void make_nonblocking(int fd) {
   const int flags = ::fcntl(fd, F_GETFL, 0);
   ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

void close(int fd) {
   if (fd >= 0) ::close(fd);
}

void set_no_delay(int fd) {
   int one = 1;
   ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void set_cork(int fd, bool on) {
   int value = on ? 1 : 0;
   ::setsockopt(fd, IPPROTO_TCP, TCP_CORK, &value, sizeof value);
}

void shutdown_send(int fd) { ::shutdown(fd, SHUT_WR); }
void shutdown_both(int fd) { ::shutdown(fd, SHUT_RDWR); }

void close_with_reset(int fd) {
   const linger hard{1, 0};
   ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
   ::close(fd);
}

int connect_start(int fd, const sockaddr *address, int length) {
   if (::connect(fd, address, static_cast<socklen_t>(length)) == 0) return 0;
   return errno == EINPROGRESS ? 1 : -1;
}

int connect_error(int fd) {
   int error = 0;
   socklen_t length = sizeof error;
   ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
   return error;
}

int listen_loopback(int family, unsigned port) {
   const int fd = open_stream(family, true);
   if (fd < 0) return -1;
   // A fixed port (a registered OAuth redirect) can be listened on again at once, while the last
   // run's connections linger in TIME_WAIT; Linux never lets two sockets listen on one port.
   int reuse = 1;
   ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
   int rc = -1;
   if (family == AF_INET) {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<std::uint16_t>(port));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      rc = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
   } else {
      int only_v6 = 1;
      ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only_v6, sizeof only_v6);
      sockaddr_in6 address{};
      address.sin6_family = AF_INET6;
      address.sin6_port = htons(static_cast<std::uint16_t>(port));
      address.sin6_addr = in6addr_loopback;
      rc = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
   }
   if (rc != 0 || ::listen(fd, 16) != 0) {
      ::close(fd);
      return -1;
   }
   return fd;
}

unsigned local_port(int fd) {
   sockaddr_storage bound{};
   socklen_t size = sizeof bound;
   if (::getsockname(fd, reinterpret_cast<sockaddr *>(&bound), &size) != 0) return 0;
   return bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6 &>(bound).sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in &>(bound).sin_port);
}

std::string local_address_literal(int fd) {
   sockaddr_storage bound{};
   socklen_t size = sizeof bound;
   if (getsockname(fd, reinterpret_cast<sockaddr *>(&bound), &size) != 0) return "";
   char text[64] = {};
   if (getnameinfo(reinterpret_cast<sockaddr *>(&bound), size, text, sizeof text, nullptr, 0,
                   NI_NUMERICHOST) != 0)
      return "";
   std::string address(text);
   address = address.substr(0, address.find('%'));  // a link-local address's zone is not for the peer
   return bound.ss_family == AF_INET6 ? "[IPv6:" + address + "]" : "[" + address + "]";
}

int accept(int listener) { return ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC); }

long send(int fd, const void *bytes, std::size_t size) { return ::send(fd, bytes, size, MSG_NOSIGNAL); }

long send_nowait(int fd, const void *bytes, std::size_t size) {
   return ::send(fd, bytes, size, MSG_NOSIGNAL | MSG_DONTWAIT);
}

long recv(int fd, void *buffer, std::size_t size) { return ::recv(fd, buffer, size, 0); }

int last_error() { return errno; }
bool would_block(int error) { return error == EAGAIN || error == EWOULDBLOCK; }
bool interrupted(int error) { return error == EINTR; }
std::string error_text(int error) { return std::strerror(error); }

}  // namespace email::sockets
