// sockets on Windows: Winsock 2 (net/sockets.h). Winsock is started on first use and cleaned up when
// the plugin is unloaded (a function-local static's destructor runs at FreeLibrary). Windows has no
// SIGPIPE: a send to a closed peer fails with WSAECONNRESET, so nothing guards against a signal here.
#include "net/sockets.h"

#include "rpa_common/utf16.h"

#include <windows.h>

namespace email::sockets {

namespace {

struct Winsock {
   bool started = false;
   Winsock() {
      WSADATA data;
      started = WSAStartup(MAKEWORD(2, 2), &data) == 0;
   }
   ~Winsock() {
      if (started) WSACleanup();
   }
};

void start_winsock() { static const Winsock winsock; }

SOCKET handle(int fd) { return static_cast<SOCKET>(static_cast<std::intptr_t>(fd)); }

int as_int(SOCKET socket) {
   return socket == INVALID_SOCKET ? -1 : static_cast<int>(static_cast<std::intptr_t>(socket));
}

int clamp(std::size_t size) { return size > 0x7fffffff ? 0x7fffffff : static_cast<int>(size); }

}  // namespace

pollfd poll_entry(int fd, short events) {
   pollfd entry{};
   entry.fd = handle(fd);
   entry.events = events;
   return entry;
}

int poll(pollfd *entries, PollCount count, int timeout_ms) {
   start_winsock();
   if (count == 0) {  // WSAPoll refuses an empty set; poll(2) sleeps
      Sleep(static_cast<DWORD>(timeout_ms < 0 ? 0 : timeout_ms));
      return 0;
   }
   const int ready = WSAPoll(entries, count, timeout_ms);
   return ready == SOCKET_ERROR && WSAGetLastError() == WSAEINTR ? 0 : ready;
}

bool peer_hung_up(int fd) {
   start_winsock();
   pollfd entry = poll_entry(fd, POLLRDNORM);  // WSAPoll reports a graceful close as POLLHUP
   return WSAPoll(&entry, 1, 0) > 0 && (entry.revents & (POLLHUP | POLLERR));
}

int open_stream(int family, bool nonblocking) {
   start_winsock();
   const SOCKET socket = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, nullptr, 0,
                                    WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
   if (socket == INVALID_SOCKET) return -1;
   const int fd = as_int(socket);
   if (nonblocking) make_nonblocking(fd);
   return fd;
}

void make_nonblocking(int fd) {
   u_long on = 1;
   ioctlsocket(handle(fd), FIONBIO, &on);
}

void close(int fd) {
   if (fd >= 0) closesocket(handle(fd));
}

void set_no_delay(int fd) {
   BOOL one = TRUE;
   setsockopt(handle(fd), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one), sizeof one);
}

void set_cork(int, bool) {}

void shutdown_send(int fd) { ::shutdown(handle(fd), SD_SEND); }
void shutdown_both(int fd) { ::shutdown(handle(fd), SD_BOTH); }

void close_with_reset(int fd) {
   const linger hard{1, 0};
   setsockopt(handle(fd), SOL_SOCKET, SO_LINGER, reinterpret_cast<const char *>(&hard), sizeof hard);
   closesocket(handle(fd));
}

int connect_start(int fd, const sockaddr *address, int length) {
   if (::connect(handle(fd), address, length) == 0) return 0;
   const int error = WSAGetLastError();
   return error == WSAEWOULDBLOCK || error == WSAEINPROGRESS ? 1 : -1;
}

int connect_error(int fd) {
   int error = 0;
   int length = sizeof error;
   getsockopt(handle(fd), SOL_SOCKET, SO_ERROR, reinterpret_cast<char *>(&error), &length);
   return error;
}

int listen_loopback(int family, unsigned port) {
   const int fd = open_stream(family, true);
   if (fd < 0) return -1;
   const SOCKET socket = handle(fd);
   BOOL exclusive = TRUE;  // no other program may bind the same port over ours
   setsockopt(socket, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, reinterpret_cast<const char *>(&exclusive),
              sizeof exclusive);
   int rc = -1;
   if (family == AF_INET) {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<u_short>(port));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      rc = ::bind(socket, reinterpret_cast<sockaddr *>(&address), sizeof address);
   } else {
      DWORD only_v6 = 1;
      setsockopt(socket, IPPROTO_IPV6, IPV6_V6ONLY, reinterpret_cast<const char *>(&only_v6), sizeof only_v6);
      sockaddr_in6 address{};
      address.sin6_family = AF_INET6;
      address.sin6_port = htons(static_cast<u_short>(port));
      address.sin6_addr = in6addr_loopback;
      rc = ::bind(socket, reinterpret_cast<sockaddr *>(&address), sizeof address);
   }
   if (rc != 0 || ::listen(socket, 16) != 0) {
      closesocket(socket);
      return -1;
   }
   return fd;
}

unsigned local_port(int fd) {
   sockaddr_storage bound{};
   int size = sizeof bound;
   if (getsockname(handle(fd), reinterpret_cast<sockaddr *>(&bound), &size) != 0) return 0;
   return bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6 &>(bound).sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in &>(bound).sin_port);
}

std::string local_address_literal(int fd) {
   sockaddr_storage bound{};
   int size = sizeof bound;
   if (getsockname(handle(fd), reinterpret_cast<sockaddr *>(&bound), &size) != 0) return "";
   char text[64] = {};
   if (getnameinfo(reinterpret_cast<sockaddr *>(&bound), size, text, sizeof text, nullptr, 0,
                   NI_NUMERICHOST) != 0)
      return "";
   std::string address(text);
   address = address.substr(0, address.find('%'));  // a link-local address's zone is not for the peer
   return bound.ss_family == AF_INET6 ? "[IPv6:" + address + "]" : "[" + address + "]";
}

bool socket_pair(int fds[2]) {
   const int listener = listen_loopback(AF_INET, 0);
   if (listener < 0) return false;
   const int ours = open_stream(AF_INET, false);
   sockaddr_in address{};
   address.sin_family = AF_INET;
   address.sin_port = htons(static_cast<u_short>(local_port(listener)));
   address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   int accepted = -1;
   if (ours >= 0 && ::connect(handle(ours), reinterpret_cast<sockaddr *>(&address), sizeof address) == 0) {
      pollfd entry = poll_entry(listener, POLLIN);
      if (poll(&entry, 1, 5000) > 0) accepted = accept(listener);
   }
   close(listener);
   // The accepted end must be our own connection, not another program's that came first.
   sockaddr_in peer{};
   int size = sizeof peer;
   const bool ours_accepted =
       accepted >= 0 && getpeername(handle(accepted), reinterpret_cast<sockaddr *>(&peer), &size) == 0 &&
       ntohs(peer.sin_port) == local_port(ours);
   if (!ours_accepted) {
      close(accepted);
      close(ours);
      return false;
   }
   make_nonblocking(ours);
   make_nonblocking(accepted);
   fds[0] = accepted;
   fds[1] = ours;
   return true;
}

int accept(int listener) {
   const SOCKET socket = ::accept(handle(listener), nullptr, nullptr);
   if (socket == INVALID_SOCKET) return -1;
   SetHandleInformation(reinterpret_cast<HANDLE>(socket), HANDLE_FLAG_INHERIT, 0);
   u_long blocking = 0;  // an accepted socket inherits the listener's non-blocking mode on Windows
   ioctlsocket(socket, FIONBIO, &blocking);
   return as_int(socket);
}

long send(int fd, const void *bytes, std::size_t size) {
   return ::send(handle(fd), static_cast<const char *>(bytes), clamp(size), 0);
}

long send_nowait(int fd, const void *bytes, std::size_t size) {
   u_long on = 1, off = 0;
   ioctlsocket(handle(fd), FIONBIO, &on);
   const long sent = ::send(handle(fd), static_cast<const char *>(bytes), clamp(size), 0);
   ioctlsocket(handle(fd), FIONBIO, &off);
   return sent;
}

long recv(int fd, void *buffer, std::size_t size) {
   return ::recv(handle(fd), static_cast<char *>(buffer), clamp(size), 0);
}

int last_error() { return WSAGetLastError(); }
bool would_block(int error) { return error == WSAEWOULDBLOCK; }
bool interrupted(int error) { return error == WSAEINTR; }

std::string error_text(int error) { return rpa::windows_error_text(static_cast<unsigned long>(error)); }

}  // namespace email::sockets
