// sockets: the one place where the plugin's sockets differ between Linux (BSD sockets) and Windows
// (Winsock 2). Protocol code includes this header instead of the system's socket headers and calls
// these functions; net/sockets_posix.cpp and net/sockets_windows.cpp are the two implementations.
//
// A socket is an `int` on both systems: Winsock's SOCKET is a kernel handle whose value fits in 32
// bits (as OpenSSL's SSL_set_fd and c-ares assume); -1 is "no socket" (INVALID_SOCKET as int).
// Every socket is made without inheritance (CLOEXEC / not inherited by child processes).
// Errors are the system's codes: `last_error()` after a call that failed, and the predicates below
// to tell the kinds apart; `error_text` gives the system's message for one.
#pragma once

#ifdef _WIN32
#  include <winsock2.h>
#  include <ws2tcpip.h>
#else
#  include <arpa/inet.h>
#  include <netinet/in.h>
#  include <poll.h>
#  include <sys/socket.h>
#endif

#include <cstddef>
#include <cstdint>
#include <string>

namespace email::sockets {

#ifdef _WIN32
using PollCount = unsigned long;
#else
using PollCount = nfds_t;
#endif

// A pollfd for `fd` waiting for `events` (POLLIN, POLLOUT).
pollfd poll_entry(int fd, short events);
// poll(2) / WSAPoll: the number of ready entries, 0 on timeout, -1 on error (interrupted counts as 0).
int poll(pollfd *entries, PollCount count, int timeout_ms);
// Whether the peer of a connected socket hung up (or the socket failed), without waiting or reading.
bool peer_hung_up(int fd);

// A TCP socket of `family` (AF_INET, AF_INET6), non-blocking when asked; -1 on failure.
int open_stream(int family, bool nonblocking);
void make_nonblocking(int fd);
void close(int fd);
void set_no_delay(int fd);
// Linux's TCP_CORK (hold small writes for one segment); nothing on Windows, which has no such option.
void set_cork(int fd, bool on);
// Sends the end of stream (shutdown for writing); reading goes on.
void shutdown_send(int fd);
// Ends both directions: a read or write blocked on it in another thread returns.
void shutdown_both(int fd);
// Closes with a reset (RST: SO_LINGER 0) instead of an orderly end, as a crashed peer does.
void close_with_reset(int fd);

// Starts a non-blocking connect: 0 connected, 1 under way (wait for POLLOUT, then
// `connect_error`), -1 failed (last_error()).
int connect_start(int fd, const sockaddr *address, int length);
// The outcome of a connect that was under way: 0, or the system's error code.
int connect_error(int fd);

// A listening TCP socket on the loopback address of `family` at `port` (0: any free port),
// non-blocking; -1 on failure. IPv6 listens on ::1 only.
int listen_loopback(int family, unsigned port);
// The port a socket is bound to.
unsigned local_port(int fd);
// The address a connected socket is bound to, as an SMTP address literal (RFC 5321 4.1.3):
// "[192.0.2.1]", "[IPv6:2001:db8::1]"; "" when the system does not say.
std::string local_address_literal(int fd);
// The next connection on `listener`, non-inheritable (blocking as the system makes it), or -1.
int accept(int listener);

// Two connected stream sockets of this process, both non-blocking and non-inheritable, in
// `fds[0]` and `fds[1]`: one end wakes a poll() on the other (net/wakeup.h). A local socket pair
// on Linux; on Windows, whose WSAPoll takes sockets only, a loopback TCP connection whose accepted
// end is checked to be ours. False on failure (nothing left open).
bool socket_pair(int fds[2]);

// send/recv without SIGPIPE; the byte count, 0 (recv: closed), or -1 (last_error()).
long send(int fd, const void *bytes, std::size_t size);
// As send, but never waits even on a blocking socket.
long send_nowait(int fd, const void *bytes, std::size_t size);
long recv(int fd, void *buffer, std::size_t size);

int last_error();
bool would_block(int error);  // EAGAIN / EWOULDBLOCK / WSAEWOULDBLOCK: wait and try again
bool interrupted(int error);  // EINTR / WSAEINTR: try again at once
std::string error_text(int error);

}  // namespace email::sockets
