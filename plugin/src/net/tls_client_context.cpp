#include "net/tls_client_context.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include "net/server_endpoint.h"
#include "net/tls_policy.h"
#include "net/trust_store.h"
#include "util/failure.h"

namespace email {

namespace {

std::mutex g_contexts_mutex;
std::map<std::string, std::shared_ptr<TlsClientContext>> *g_contexts = nullptr;

// Our slot in SSL ex data: the "host:port" a connection's sessions are kept under.
int server_key_index() {
   static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
   return index;
}

// The key of a trust source: "system", or the CA file with its modification time and size.
std::string trust_key(const TlsSettings &settings) {
   if (settings.ca_file.empty()) return "system";
   return "file:" + settings.ca_file + "@" + file_stamp(settings.ca_file);
}

}  // namespace

std::shared_ptr<TlsClientContext> TlsClientContext::for_settings(const TlsSettings &settings) {
   const std::string key = trust_key(settings);
   std::lock_guard<std::mutex> lock(g_contexts_mutex);
   if (!g_contexts) g_contexts = new std::map<std::string, std::shared_ptr<TlsClientContext>>();
   auto found = g_contexts->find(key);
   if (found != g_contexts->end()) return found->second;
   ERR_clear_error();
   SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
   if (!ctx) throw Failure(RPA_INTERNAL, "cannot create a TLS context: " + openssl_errors());
   std::shared_ptr<TlsClientContext> context(new TlsClientContext(ctx));
   apply_client_tls_policy(ctx);
   std::string trust_error;
   bool trusted;
   if (settings.ca_file.empty()) {
      trusted = load_system_trust(ctx);
      if (!trusted) trust_error = openssl_errors();
   } else {
      trusted = load_ca_file(ctx, settings.ca_file, trust_error);
   }
   if (!trusted)
      throw Failure(RPA_TLS_FAILED,
                    settings.ca_file.empty()
                        ? "cannot load the system's trusted CAs: " + trust_error
                        : "cannot read the CA file \"" + settings.ca_file + "\" (ca_file): " + trust_error);
   SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
   // With read-ahead (net/transport.cpp), one read(2) takes up to four full records: a 5 MB
   // message arrives in a quarter of the reads (and of the signal-mask calls around each).
   SSL_CTX_set_default_read_buffer_len(ctx, 64 * 1024);
   SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
   SSL_CTX_sess_set_new_cb(ctx, &TlsClientContext::on_new_session);
   SSL_CTX_set_app_data(ctx, context.get());
   if (g_contexts->size() >= 32) g_contexts->erase(g_contexts->begin());  // bounded; users keep theirs
   g_contexts->emplace(key, context);
   return context;
}

void TlsClientContext::clear_all() {
   std::lock_guard<std::mutex> lock(g_contexts_mutex);
   delete g_contexts;
   g_contexts = nullptr;
}

TlsClientContext::~TlsClientContext() {
   for (auto &entry : sessions_)
      for (SSL_SESSION *session : entry.second) SSL_SESSION_free(session);
   SSL_CTX_free(ctx_);
}

SSL *TlsClientContext::new_connection(const std::string &host, std::uint16_t port) {
   SSL *ssl = SSL_new(ctx_);
   if (!ssl) return nullptr;
   apply_peer_name_check(ssl, host);
   const std::string server = endpoint_label(host, port);
   auto *key = new std::string(server);
   SSL_set_ex_data(ssl, server_key_index(), key);
   if (SSL_SESSION *session = take(server)) {
      SSL_set_session(ssl, session);
      SSL_SESSION_free(session);  // SSL_set_session took its own reference
   }
   return ssl;
}

void TlsClientContext::free_connection(SSL *ssl) {
   if (!ssl) return;
   delete static_cast<std::string *>(SSL_get_ex_data(ssl, server_key_index()));
   SSL_set_ex_data(ssl, server_key_index(), nullptr);
   SSL_free(ssl);
}

int TlsClientContext::on_new_session(SSL *ssl, SSL_SESSION *session) {
   auto *self = static_cast<TlsClientContext *>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
   const auto *server = static_cast<const std::string *>(SSL_get_ex_data(ssl, server_key_index()));
   if (!self || !server || !SSL_SESSION_is_resumable(session)) return 0;
   self->keep(*server, session);
   return 1;  // we keep the reference OpenSSL gave us
}

void TlsClientContext::keep(const std::string &server, SSL_SESSION *session) {
   std::lock_guard<std::mutex> lock(mutex_);
   auto found = sessions_.find(server);
   if (found == sessions_.end()) {
      if (sessions_.size() >= kMaxServers) {  // forget one server's sessions to make room
         for (SSL_SESSION *old : sessions_.begin()->second) SSL_SESSION_free(old);
         sessions_.erase(sessions_.begin());
      }
      found = sessions_.emplace(server, std::deque<SSL_SESSION *>()).first;
   }
   found->second.push_back(session);
   while (found->second.size() > kMaxTicketsPerServer) {
      SSL_SESSION_free(found->second.front());
      found->second.pop_front();
   }
}

SSL_SESSION *TlsClientContext::take(const std::string &server) {
   std::lock_guard<std::mutex> lock(mutex_);
   auto found = sessions_.find(server);
   if (found == sessions_.end()) return nullptr;
   const std::time_t now = std::time(nullptr);
   SSL_SESSION *usable = nullptr;
   while (!found->second.empty() && !usable) {
      SSL_SESSION *session = found->second.back();  // the newest
      found->second.pop_back();                     // a ticket is used once
      const std::time_t made = SSL_SESSION_get_time(session);
      const std::time_t lifetime =
          std::min<std::time_t>(SSL_SESSION_get_timeout(session), kMaxSessionAge.count() * 3600);
      if (SSL_SESSION_is_resumable(session) && now >= made && now - made < lifetime)
         usable = session;
      else
         SSL_SESSION_free(session);
   }
   if (found->second.empty()) sessions_.erase(found);
   return usable;
}

}  // namespace email
