// tls_socket_bio: the BIO through which OpenSSL reads and writes a TLS connection's socket.
//
// OpenSSL's own socket BIO (what SSL_set_fd makes) writes with write(2), which raises SIGPIPE when
// the peer has hung up, and SIGPIPE ends the whole host process unless the host ignores it. This
// one sends and receives through net/sockets.h (send with MSG_NOSIGNAL on Linux, Winsock's send on
// Windows), so a TLS connection never raises SIGPIPE and needs no signal-mask calls around its
// reads and writes. Otherwise it behaves as OpenSSL's socket BIO: a read or write that would block
// sets the retry flags (the socket is non-blocking, and SSL_get_error says WANT_READ/WANT_WRITE),
// a read of 0 bytes marks the end of the stream (BIO_eof, so OpenSSL reports an unexpected EOF),
// and flushing does nothing (every write goes to the socket at once).
#pragma once

#include <openssl/bio.h>

namespace email {

// A BIO over the socket `fd` for SSL_set_bio (the same BIO as read and write side). It never
// closes `fd`: the transport does. nullptr if OpenSSL could not allocate it.
BIO *new_tls_socket_bio(int fd);

}  // namespace email
