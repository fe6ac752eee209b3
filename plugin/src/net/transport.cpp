#include "net/transport.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "net/resolver.h"
#include "net/sockets.h"
#include "net/tls_client_context.h"
#include "net/tls_policy.h"
#include "net/tls_socket_bio.h"
#include "util/failure.h"

namespace email {

Transport::Transport(int fd, std::string host, std::uint16_t port)
    : fd_(fd), host_(std::move(host)), port_(port) {}

std::unique_ptr<Transport> Transport::adopt(int fd, std::string peer) {
   sockets::make_nonblocking(fd);
   return std::unique_ptr<Transport>(new Transport(fd, std::move(peer), 0));
}

int Transport::release_socket(std::string &unread) {
   if (ssl_ || fd_ < 0)
      throw Failure(RPA_INTERNAL, "a TLS or closed connection to " + host_ + " cannot be handed over");
   unread.append(buffer_, buffer_start_, std::string::npos);
   buffer_.clear();
   buffer_start_ = 0;
   const int fd = fd_;
   fd_ = -1;
   return fd;
}

Transport::~Transport() {
   if (ssl_) {
      // Best effort close_notify (unless write_last sent it); non-blocking, never waits.
      if (!(SSL_get_shutdown(ssl_) & SSL_SENT_SHUTDOWN)) SSL_shutdown(ssl_);
      TlsClientContext::free_connection(ssl_);
   }
   sockets::close(fd_);
}

Transport::Ready Transport::ready_within(short events, int milliseconds, int wake_fd) {
   pollfd entries[2] = {sockets::poll_entry(fd_, events), sockets::poll_entry(wake_fd, POLLIN)};
   const int ready = sockets::poll(entries, wake_fd >= 0 ? 2 : 1, milliseconds);
   if (ready < 0)
      throw Failure(RPA_CONNECTION_FAILED, "waiting for " + endpoint_label(host_, port_) +
                                               " failed: " + sockets::error_text(sockets::last_error()));
   if (ready > 0 && entries[0].revents) return Ready::socket;
   return ready > 0 ? Ready::woken : Ready::none;
}

void Transport::wait_for(short events, CallContext &context, const char *waiting_for) {
   while (ready_within(events, context.next_wait_ms(waiting_for)) == Ready::none) {}
}

std::unique_ptr<Transport> Transport::connect(const std::string &host, std::uint16_t port,
                                              CallContext &context) {
   return connect_any(resolve_host(host, port, context), host, port, context);
}

std::unique_ptr<Transport> Transport::connect_any(const std::vector<ResolvedAddress> &addresses,
                                                  const std::string &host, std::uint16_t port,
                                                  CallContext &context) {
   // Each address but the last may take an equal share of the timeout, so one address that
   // swallows packets (a blackholed IPv6 route, say) cannot use up the time of the others.
   const auto share = std::max<std::chrono::milliseconds>(
       std::chrono::seconds(1),
       context.remaining() / static_cast<long>(std::max<std::size_t>(1, addresses.size())));
   std::string last_error = "no address";
   for (std::size_t i = 0; i < addresses.size(); ++i) {
      const ResolvedAddress &address = addresses[i];
      const bool last = i + 1 == addresses.size();
      int fd = sockets::open_stream(address.family, true);
      if (fd < 0) {
         last_error = sockets::error_text(sockets::last_error());
         continue;
      }
      std::unique_ptr<Transport> transport(new Transport(fd, host, port));
      sockets::set_no_delay(fd);
      const int started = sockets::connect_start(fd, reinterpret_cast<const sockaddr *>(&address.address),
                                                 static_cast<int>(address.length));
      if (started == 0) return transport;
      if (started < 0) {
         last_error = sockets::error_text(sockets::last_error());
         continue;
      }
      CallContext attempt(context, share, endpoint_label(host, port));
      try {
         transport->wait_for(POLLOUT, last ? context : attempt, "the TCP connection");
      } catch (const Failure &failure) {
         if (last || failure.status() != RPA_TIMEOUT) throw;
         last_error = "an address did not answer; the others were tried";
         continue;
      }
      const int error = sockets::connect_error(fd);
      if (error == 0) return transport;
      last_error = sockets::error_text(error);
   }
   throw Failure(RPA_CONNECTION_FAILED,
                 "cannot connect to " + endpoint_label(host, port) + ": " + last_error);
}

std::unique_ptr<Transport> Transport::connect(const ServerEndpoint &endpoint, CallContext &context) {
   return endpoint.proxy.enabled() ? connect_through(endpoint.proxy, endpoint.host, endpoint.port, context)
                                   : connect(endpoint.host, endpoint.port, context);
}

std::unique_ptr<Transport> Transport::open(const ServerEndpoint &endpoint, CallContext &context) {
   auto transport = connect(endpoint, context);
   if (endpoint.tls == TlsPolicy::implicit) transport->start_tls(endpoint.tls_settings, context);
   return transport;
}

void Transport::start_tls(const TlsSettings &settings, CallContext &context) {
   if (buffered() != 0)
      throw Failure(RPA_PROTOCOL_ERROR, endpoint_label(host_, port_) +
                                            " sent data before the TLS handshake began; refusing to continue "
                                            "(possible STARTTLS injection)");
   ERR_clear_error();
   tls_context_ = TlsClientContext::for_settings(settings);  // shared; throws naming the trust source
   ssl_ = tls_context_->new_connection(host_, port_);
   if (!ssl_) throw Failure(RPA_INTERNAL, "cannot create a TLS connection: " + openssl_errors());
   BIO *socket = new_tls_socket_bio(fd_);  // sends without SIGPIPE: no signal mask to change
   if (!socket) throw Failure(RPA_INTERNAL, "cannot create a TLS connection: " + openssl_errors());
   SSL_set_bio(ssl_, socket, socket);
   // Read what the socket holds at once, not a record header and then its body: a server that
   // sends one small record per response (an IMAP FETCH of 1,000 summaries) costs one read, not
   // two per record. fill() then takes every record already buffered.
   SSL_set_read_ahead(ssl_, 1);

   for (;;) {
      int rc = SSL_connect(ssl_);
      if (rc == 1) break;
      int error = SSL_get_error(ssl_, rc);
      if (error == SSL_ERROR_WANT_READ) {
         wait_for(POLLIN, context, "the TLS handshake");
         continue;
      }
      if (error == SSL_ERROR_WANT_WRITE) {
         wait_for(POLLOUT, context, "the TLS handshake");
         continue;
      }
      const bool plaintext = ERR_GET_REASON(ERR_peek_error()) == SSL_R_WRONG_VERSION_NUMBER;
      long verify = SSL_get_verify_result(ssl_);
      const bool hung_up = ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING ||
                           error == SSL_ERROR_ZERO_RETURN ||
                           (error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0);
      std::string reason = openssl_errors();
      if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH)
         throw Failure(RPA_TLS_FAILED, "the certificate of " + endpoint_label(host_, port_) +
                                           " is not valid for the host name \"" + host_ +
                                           "\" (host name check failed)");
      if (verify != X509_V_OK)
         throw Failure(RPA_TLS_FAILED, "the certificate of " + endpoint_label(host_, port_) +
                                           " was rejected: " + X509_verify_cert_error_string(verify) +
                                           " (certificate chain check failed; set ca_file to the CA that "
                                           "issued the server's certificate if it is a private CA)");
      if (plaintext)
         throw PlaintextAnswer(RPA_TLS_FAILED, endpoint_label(host_, port_) +
                                                   " answered the TLS handshake in plain text: it does not "
                                                   "expect TLS at once on this port");
      if (hung_up)  // no TLS alert: the peer hung up or reset
         throw Failure(RPA_CONNECTION_FAILED,
                       endpoint_label(host_, port_) + " closed the connection during the TLS handshake");
      throw Failure(RPA_TLS_FAILED,
                    "the TLS handshake with " + endpoint_label(host_, port_) + " failed: " + reason);
   }
}

bool Transport::speaks_within(std::chrono::milliseconds grace, CallContext &context) {
   // Read-ahead may hold records OpenSSL has not decrypted yet: the socket would not tell.
   if (buffered() > 0 || (ssl_ && SSL_has_pending(ssl_) == 1)) return true;
   // Silence is an answer here, not a failure: no exception for it. An idle wait asks this about
   // once a second, and a C++ throw costs a walk over every loaded library's unwind tables (a
   // third of a millisecond in the plugin's process), which was most of an idle wait's CPU.
   using Clock = std::chrono::steady_clock;
   const auto until = Clock::now() + grace;
   for (bool first = true;; first = false) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() <= 0 && !first) return false;
      // A grace of 0: one look that does not wait. Otherwise the call's own deadline and the
      // host's cancel still throw, as in every wait.
      const int step = left.count() <= 0 ? 0
                                         : context.idle_wait_ms("the server's next response",
                                                                endpoint_label(host_, port_), left);
      switch (ready_within(POLLIN, step, context.wake_fd())) {
      case Ready::socket: return true;
      case Ready::woken: return false;  // the caller looks at why
      case Ready::none: break;
      }
   }
}

std::string Transport::tls_version() const { return ssl_ ? SSL_get_version(ssl_) : ""; }

bool Transport::tls_resumed() const { return ssl_ && SSL_session_reused(ssl_) == 1; }

void Transport::throw_closed(const char *waiting_for) const {
   throw Failure(RPA_CONNECTION_FAILED,
                 endpoint_label(host_, port_) + " closed the connection while we waited for " + waiting_for);
}

void Transport::fill(CallContext &context, const char *waiting_for) {
   // A round trip: the first time we need the server's bytes after sending ours.
   if (wrote_since_read_) ++stats_.round_trips;
   wrote_since_read_ = false;
   char chunk[16384];
   make_room(sizeof chunk);
   for (;;) {
      if (ssl_) {
         ERR_clear_error();
         int rc = SSL_read(ssl_, chunk, sizeof chunk);
         if (rc > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(rc));
            stats_.bytes_received += static_cast<std::uint64_t>(rc);
            while (SSL_has_pending(ssl_) && buffered() < kReadAheadBytes) {  // records already here
               rc = SSL_read(ssl_, chunk, sizeof chunk);
               if (rc <= 0) break;  // half a record: the next fill waits for the rest
               buffer_.append(chunk, static_cast<std::size_t>(rc));
               stats_.bytes_received += static_cast<std::uint64_t>(rc);
            }
            break;
         }
         int error = SSL_get_error(ssl_, rc);
         if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
            wait_for(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, context, waiting_for);
            continue;
         }
         throw_closed(waiting_for);
      }
      const long got = sockets::recv(fd_, chunk, sizeof chunk);
      if (got > 0) {
         buffer_.append(chunk, static_cast<std::size_t>(got));
         stats_.bytes_received += static_cast<std::uint64_t>(got);
         break;
      }
      if (got == 0) throw_closed(waiting_for);
      const int error = sockets::last_error();
      if (sockets::would_block(error)) {
         wait_for(POLLIN, context, waiting_for);
         continue;
      }
      if (sockets::interrupted(error)) continue;
      throw Failure(RPA_CONNECTION_FAILED, "reading from " + endpoint_label(host_, port_) +
                                               " failed: " + sockets::error_text(error));
   }
}

void Transport::make_room(std::size_t size) {
   if (buffer_start_ == 0 || buffer_.size() + size <= buffer_.capacity()) return;
   buffer_.erase(0, buffer_start_);  // moves the unread bytes (a partial line, mostly) to the front
   buffer_start_ = 0;
}

void Transport::consume(std::size_t size) {
   buffer_start_ += size;
   if (buffer_start_ == buffer_.size()) {
      buffer_.clear();
      buffer_start_ = 0;
   }
}

std::string Transport::read_line(CallContext &context, const char *waiting_for) {
   std::string line;
   append_line(line, context, waiting_for);
   return line;
}

void Transport::append_line(std::string &out, CallContext &context, const char *waiting_for) {
   std::size_t scanned = 0;  // unread bytes already searched (fill may move them to the front)
   for (;;) {
      std::size_t lf = buffer_.find('\n', buffer_start_ + scanned);
      if (lf != std::string::npos) {
         std::size_t end = (lf > buffer_start_ && buffer_[lf - 1] == '\r') ? lf - 1 : lf;
         out.append(buffer_, buffer_start_, end - buffer_start_);
         consume(lf + 1 - buffer_start_);
         return;
      }
      if (buffered() > kMaxLineBytes)
         throw Failure(RPA_PROTOCOL_ERROR, endpoint_label(host_, port_) + " sent a line longer than " +
                                               std::to_string(kMaxLineBytes) + " bytes");
      scanned = buffered();
      fill(context, waiting_for);
   }
}

std::string Transport::read_exact(std::size_t size, CallContext &context, const char *waiting_for) {
   std::string bytes;
   append_exact(bytes, size, context, waiting_for);
   return bytes;
}

void Transport::append_exact(std::string &out, std::size_t size, CallContext &context,
                             const char *waiting_for) {
   // Taken as it arrives: the buffer never holds more than a read's worth of a large literal or
   // body, and its bytes are copied once, into `out`. `size` is the peer's word: callers bound it,
   // and what is reserved here is bounded too (address space only, until the bytes come).
   out.reserve(out.size() + std::min(size, kMaxReserveBytes));
   while (size > 0) {
      if (buffered() == 0) fill(context, waiting_for);
      const std::size_t taken = std::min(size, buffered());
      out.append(buffer_, buffer_start_, taken);
      consume(taken);
      size -= taken;
   }
}

void Transport::write_last(std::string_view bytes, CallContext &context) {
   if (!ssl_) {
      write(bytes, context);
      return;
   }
   sockets::set_cork(fd_, true);  // hold both records for one segment
   try {
      write(bytes, context);
      ERR_clear_error();
      SSL_shutdown(ssl_);  // queues close_notify; returns without waiting for the peer's
   } catch (...) {
      sockets::set_cork(fd_, false);
      throw;
   }
   sockets::set_cork(fd_, false);  // sends the segment
}

void Transport::write(std::string_view bytes, CallContext &context) {
   std::size_t sent = 0;
   while (sent < bytes.size()) {
      const char *from = bytes.data() + sent;
      const std::size_t left = bytes.size() - sent;
      if (ssl_) {
         ERR_clear_error();
         int rc = SSL_write(ssl_, from, static_cast<int>(left));
         if (rc > 0) {
            sent += static_cast<std::size_t>(rc);
            continue;
         }
         int error = SSL_get_error(ssl_, rc);
         if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
            wait_for(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, context, "sending");
            continue;
         }
         throw Failure(RPA_CONNECTION_FAILED,
                       "sending to " + endpoint_label(host_, port_) + " failed: the connection was closed");
      }
      const long rc = sockets::send(fd_, from, left);
      if (rc > 0) {
         sent += static_cast<std::size_t>(rc);
         continue;
      }
      const int error = rc < 0 ? sockets::last_error() : 0;
      if (rc < 0 && sockets::would_block(error)) {
         wait_for(POLLOUT, context, "sending");
         continue;
      }
      if (rc < 0 && sockets::interrupted(error)) continue;
      throw Failure(RPA_CONNECTION_FAILED, "sending to " + endpoint_label(host_, port_) + " failed: " +
                                               (rc < 0 ? sockets::error_text(error) : "nothing sent"));
   }
   stats_.bytes_sent += bytes.size();
   wrote_since_read_ = true;
}

std::string Transport::local_address_literal() const {
   return fd_ < 0 ? std::string() : sockets::local_address_literal(fd_);
}

}  // namespace email
