// Transport: one TCP connection, optionally upgraded to TLS, with a bounded line reader.
//
// Every wait goes through the caller's CallContext (timeout and cancellation). TLS is OpenSSL
// with the one client policy (net/tls_policy.h) on the context shared per trust source, resuming a
// kept session where the server gave one (net/tls_client_context.h); a failed check throws
// Failure(tls_failed) naming the check. Counts bytes and round trips
// (each time we need the server's bytes after sending ours; TCP and TLS handshakes excluded),
// which the session's info reports and the benchmarks and tests read.
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/call_context.h"
#include "net/resolver.h"
#include "net/server_endpoint.h"
#include "net/tls_client_context.h"
#include "util/failure.h"

namespace email {

struct TransportStats {
   std::uint64_t bytes_sent = 0;
   std::uint64_t bytes_received = 0;
   std::uint64_t round_trips = 0;

   TransportStats &operator+=(const TransportStats &more) {
      bytes_sent += more.bytes_sent;
      bytes_received += more.bytes_received;
      round_trips += more.round_trips;
      return *this;
   }
};

// The server answered the TLS handshake in plain text: tls_failed, recognised by the TLS-mode
// detection (line/line_sign_in.h).
class PlaintextAnswer : public Failure {
 public:
   using Failure::Failure;
};

class Transport {
 public:
   static constexpr std::size_t kMaxLineBytes = 64 * 1024;
   // How far a read takes TLS records that already arrived before handing them over (one record).
   // The buffer keeps its capacity for the connection and reuses it: read bytes are dropped from
   // its front only when the next read would not fit behind them, and literals and bodies are
   // taken as they arrive, so it stays at about twice this whatever is read (a line grows it up to
   // kMaxLineBytes). A new connection touches no fresh memory beyond that.
   static constexpr std::size_t kReadAheadBytes = 16 * 1024;
   // The most append_exact reserves ahead for a size the peer claims (address space only, until
   // the bytes come): a larger literal or body grows its string as it arrives.
   static constexpr std::size_t kMaxReserveBytes = 16 * 1024 * 1024;

   // Resolves `host` and connects to the first address that answers.
   static std::unique_ptr<Transport> connect(const std::string &host, std::uint16_t port,
                                             CallContext &context);
   // Connects to the first of `addresses` that answers (`host` is kept for TLS and messages).
   static std::unique_ptr<Transport> connect_any(const std::vector<ResolvedAddress> &addresses,
                                                 const std::string &host, std::uint16_t port,
                                                 CallContext &context);
   // connect() to the endpoint's host and port, through its proxy when it names one (net/proxy.h).
   static std::unique_ptr<Transport> connect(const ServerEndpoint &endpoint, CallContext &context);
   // connect() to the endpoint, then the TLS handshake when its policy is implicit TLS.
   static std::unique_ptr<Transport> open(const ServerEndpoint &endpoint, CallContext &context);
   ~Transport();
   Transport(const Transport &) = delete;
   Transport &operator=(const Transport &) = delete;

   // TLS handshake on the open connection, verifying the certificate for `host`. A server that
   // answers the ClientHello in plain text (a greeting: it does not expect TLS at once) throws
   // PlaintextAnswer.
   void start_tls(const TlsSettings &settings, CallContext &context);
   // True when the server sent something (or closed) within `grace`; false when it stayed silent
   // that long, or when the context's wake_fd() turned readable first. Waits through `context`
   // (its deadline and cancellation still apply). A grace of 0 looks once without waiting (is a
   // kept connection still open?).
   bool speaks_within(std::chrono::milliseconds grace, CallContext &context);

   // One line without its CRLF (a bare LF is accepted). Throws protocol_error past kMaxLineBytes
   // and connection_failed when the server closes the connection.
   std::string read_line(CallContext &context, const char *waiting_for);
   // Exactly `size` bytes (IMAP literals).
   std::string read_exact(std::size_t size, CallContext &context, const char *waiting_for);
   // The same two, appended to `out` (a buffer the caller reuses: nothing is allocated once its
   // capacity suffices).
   void append_line(std::string &out, CallContext &context, const char *waiting_for);
   void append_exact(std::string &out, std::size_t size, CallContext &context, const char *waiting_for);
   void write(std::string_view bytes, CallContext &context);
   // The last bytes this side sends (LOGOUT, QUIT): over TLS the close_notify follows in the same
   // TCP segment, so saying goodbye costs no extra flight. Reading the server's answer still works.
   void write_last(std::string_view bytes, CallContext &context);

   // A connected socket this process accepted (http/proxy_bridge.h: the loopback end of a tunnel),
   // made non-blocking; `peer` names it in messages. Takes ownership of `fd`.
   static std::unique_ptr<Transport> adopt(int fd, std::string peer);
   // Hands the socket over to be relayed byte for byte (http/proxy_bridge.h): returns the
   // descriptor, still non-blocking, and appends to `unread` the bytes received but not yet read.
   // Plain text only (a TLS connection cannot be handed over); the transport is closed afterwards.
   int release_socket(std::string &unread);

   // After a proxy tunnel is set up (net/proxy.h): from now on this connection is to host:port
   // (TLS checks the certificate for `host`; messages name it).
   void retarget(std::string host, std::uint16_t port) {
      host_ = std::move(host);
      port_ = port;
   }

   // Bytes received but not yet read. Must be zero when TLS starts (STARTTLS injection).
   std::size_t buffered() const { return buffer_.size() - buffer_start_; }
   bool is_tls() const { return ssl_ != nullptr; }
   std::string tls_version() const;  // "TLSv1.3", or "" in plain text
   bool tls_resumed() const;         // the handshake resumed a kept session (no certificate sent)
   const std::string &host() const { return host_; }
   // This end's address as an SMTP address literal ("[192.0.2.1]"), or "" (net/sockets.h).
   std::string local_address_literal() const;
   std::uint16_t port() const { return port_; }
   const TransportStats &stats() const { return stats_; }

 private:
   Transport(int fd, std::string host, std::uint16_t port);
   void fill(CallContext &context, const char *waiting_for);  // appends to buffer_
   void consume(std::size_t size);                            // drops read bytes
   void make_room(std::size_t size);  // moves unread bytes to the front when `size` would not fit
   void wait_for(short events, CallContext &context, const char *waiting_for);
   // One poll() of at most `milliseconds` for `events` on the socket and, when `wake_fd` >= 0,
   // for its turning readable: socket when the events came, woken when only `wake_fd` did, none
   // when neither did in time. Throws connection_failed when poll fails.
   enum class Ready { none, socket, woken };
   Ready ready_within(short events, int milliseconds, int wake_fd = -1);
   [[noreturn]] void throw_closed(const char *waiting_for) const;

   int fd_;
   std::string host_;
   std::uint16_t port_;
   std::shared_ptr<TlsClientContext> tls_context_;  // shared per trust source (kept sessions)
   SSL *ssl_ = nullptr;
   std::string buffer_;
   std::size_t buffer_start_ = 0;
   bool wrote_since_read_ = false;
   TransportStats stats_;
};

}  // namespace email
