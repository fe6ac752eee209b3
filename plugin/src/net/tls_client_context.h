// TlsClientContext: one OpenSSL client context per trust source, shared by every connection of
// the process (IMAP and POP3 sockets; HTTPS shares its certificate store), with the TLS sessions
// the servers gave it, so that a later Connect to the same server resumes instead of doing a full
// handshake.
//
// Trust sources: the system store, or one `ca_file` (keyed by path, modification time and size,
// so an edited file gets a new context). The system store is OpenSSL's default locations, which
// the environment variables SSL_CERT_FILE and SSL_CERT_DIR override. Its hashed certificate
// directory is consulted lazily (a CA is read when a chain needs it); the bundle file is parsed
// only when SSL_CERT_FILE names one or the directory has no hashed entries. Contexts are built once,
// under a lock, and used by many threads at once (OpenSSL's SSL_CTX and X509_STORE are
// thread-safe for that); SSL_MODE_RELEASE_BUFFERS lets an idle connection drop its record buffers.
//
// Sessions (TLS 1.3 tickets, TLS 1.2 sessions) are kept per context and per "host:port", at most
// kMaxTicketsPerServer per server and kMaxServers servers, each no older than kMaxSessionAge and
// within the server's lifetime hint; a TLS 1.3 ticket is used once. A session is only offered to
// the same host name and port under the same trust source, where its certificate was verified.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "net/tls_settings.h"

namespace email {

class TlsClientContext {
 public:
   static constexpr std::size_t kMaxServers = 256;
   static constexpr std::size_t kMaxTicketsPerServer = 4;
   static constexpr std::chrono::hours kMaxSessionAge{2};

   // The shared context for `settings`' trust source, built on first use. Throws
   // Failure(tls_failed) when the trust source cannot be read.
   static std::shared_ptr<TlsClientContext> for_settings(const TlsSettings &settings);
   // Drops every context and session (the plugin's deinit; connections keep theirs alive).
   static void clear_all();

   ~TlsClientContext();
   TlsClientContext(const TlsClientContext &) = delete;
   TlsClientContext &operator=(const TlsClientContext &) = delete;

   SSL_CTX *native() const { return ctx_; }
   X509_STORE *store() const { return SSL_CTX_get_cert_store(ctx_); }

   // A new connection object for `host`:`port`: name (or address) check and SNI set, and a kept
   // session offered when there is one. Free it with free_connection.
   SSL *new_connection(const std::string &host, std::uint16_t port);
   static void free_connection(SSL *ssl);

 private:
   explicit TlsClientContext(SSL_CTX *ctx) : ctx_(ctx) {}
   static int on_new_session(SSL *ssl, SSL_SESSION *session);
   void keep(const std::string &server, SSL_SESSION *session);
   SSL_SESSION *take(const std::string &server);

   SSL_CTX *ctx_;
   std::mutex mutex_;
   std::map<std::string, std::deque<SSL_SESSION *>> sessions_;  // "host:port" -> newest last
};

}  // namespace email
