#include "http/https_client.h"

#include <openssl/ssl.h>

#include "net/tls_client_context.h"
#include "net/tls_policy.h"

#include <condition_variable>
#include <mutex>
#include <optional>

#include <cpprest/interopstream.h>
#include <cpprest/http_client.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "http/http1_connection.h"
#include "http/http_runtime.h"
#include "http/request_target.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

struct HttpsClient::TlsState {
   std::mutex mutex;
   std::string version;  // of the last completed handshake
};

namespace {

struct StaleConnection : std::runtime_error {
   using std::runtime_error::runtime_error;
};

// Our slot in SSL_CTX ex data. (Not the "app data" slot: Boost.Asio keeps its verify callback
// there and deletes whatever it finds.)
int tls_state_index() {
   static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
   return index;
}

// Records the protocol version of each completed handshake.
void record_handshake(const SSL *ssl, int where, int) {
   if (!(where & SSL_CB_HANDSHAKE_DONE)) return;
   auto *state =
       static_cast<HttpsClient::TlsState *>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), tls_state_index()));
   if (!state) return;
   std::lock_guard<std::mutex> lock(state->mutex);
   state->version = SSL_get_version(ssl);
}

// The origin ("https://host:port") of a URL; the request's path and query go separately.
std::string origin_of(const web::uri &uri) {
   const int port = uri.port() > 0 ? uri.port() : uri.scheme() == "http" ? 80 : 443;
   return uri.scheme() + "://" + uri.host() + ":" + std::to_string(port);
}

// How long a cancelled request may take to let go before it is abandoned to the library.
constexpr std::chrono::seconds kCancelGrace{5};

// Waits for `task`, honouring the call's timeout and cancellation. On either, cancels the
// request and rethrows once the library has let go of it (or after kCancelGrace: the task keeps
// what it needs alive by itself, and the plugin's drain at deinit waits for it).
//
// The task's outcome is always taken (get()) by a continuation that owns it, whether or not
// anybody still waits: pplx aborts the process when a task's exception is never observed, and
// an abandoned request fails later by design.
template <typename T>
T wait_for(pplx::task<T> task, pplx::cancellation_token_source &cancel, CallContext &context,
           const char *what, const std::string &peer) {
   struct Outcome {
      std::mutex mutex;
      std::condition_variable done;
      bool finished = false;
      std::optional<T> value;
      std::exception_ptr error;
   };
   auto outcome = std::make_shared<Outcome>();
   task.then([outcome, in_flight = http_runtime::InFlight()](pplx::task<T> finished) {
      std::optional<T> value;
      std::exception_ptr error;
      try {
         value.emplace(finished.get());
      } catch (...) {
         error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(outcome->mutex);
      outcome->value = std::move(value);
      outcome->error = error;
      outcome->finished = true;
      outcome->done.notify_all();
   });
   std::unique_lock<std::mutex> lock(outcome->mutex);
   while (!outcome->finished) {
      int wait_ms = 0;
      try {
         wait_ms = context.next_wait_ms(what, peer);
      } catch (...) {
         cancel.cancel();
         outcome->done.wait_for(lock, kCancelGrace, [&] { return outcome->finished; });
         throw;
      }
      outcome->done.wait_for(lock, std::chrono::milliseconds(wait_ms));
   }
   if (outcome->error) std::rethrow_exception(outcome->error);
   return std::move(*outcome->value);
}

// The body of a response whose content is ready (all of it in the library's buffer), copied once
// into `out`: no vector in between, as extract_vector() would make and fill with zeros first.
void take_body(const web::http::http_response &response, std::string &out) {
   concurrency::streams::streambuf<std::uint8_t> buffer = response.body().streambuf();
   const std::size_t ready = buffer.in_avail();
   out.resize(ready);
   std::size_t taken = 0;
   while (taken < out.size()) {
      const std::size_t got =
          buffer.getn(reinterpret_cast<std::uint8_t *>(out.data()) + taken, out.size() - taken).get();
      if (got == 0) break;
      taken += got;
   }
   out.resize(taken);
}

// The URL without its query, for messages ("https://host/EWS/Exchange.asmx").
std::string peer_of(const web::uri &uri) {
   std::string text = uri.scheme() + "://" + uri.host();
   if (uri.port() > 0) text += ":" + std::to_string(uri.port());
   return text + uri.path();
}

}  // namespace

std::string HttpResponse::header(const std::string &name) const {
   auto found = headers.find(name);
   return found == headers.end() ? "" : found->second;
}

HttpsClient::HttpsClient(TlsSettings tls) : tls_(std::move(tls)), tls_state_(std::make_shared<TlsState>()) {}

HttpsClient::~HttpsClient() = default;

TransportStats HttpsClient::stats() const {
   TransportStats total = stats_;
   if (one_connection_) total += one_connection_->stats();
   return total;
}

std::uint64_t HttpsClient::one_connection_serial() const {
   return one_connection_ ? one_connection_->serial() : 0;
}

std::string HttpsClient::tls_version() const {
   if (one_connection_ && !one_connection_->tls_version().empty()) return one_connection_->tls_version();
   std::lock_guard<std::mutex> lock(tls_state_->mutex);
   return tls_state_->version;
}

web::http::client::http_client &HttpsClient::client_for(const std::string &origin, CallContext &context) {
   auto found = clients_.find(origin);
   if (found != clients_.end()) return *found->second;
   // The trust source's shared store; an unreadable ca_file fails here, clearly, not inside the library.
   if (!trust_) trust_ = TlsClientContext::for_settings(tls_);
   web::http::client::http_client_config config;
   config.set_timeout(context.timeout());
   config.set_validate_certificates(true);
   // cpprestsdk follows up to 10 redirects by default, Authorization header included; a redirect
   // is the caller's decision (Autodiscover follows https ones; EWS reports them).
   config.set_max_redirects(0);
   // The callback (and so `state`) lives as long as the library's client, which an abandoned
   // request may keep after this object is gone.
   std::shared_ptr<TlsState> state = tls_state_;
   std::shared_ptr<TlsClientContext> trust = trust_;
   config.set_ssl_context_callback([state, trust](boost::asio::ssl::context &ssl_context) {
      SSL_CTX *native = ssl_context.native_handle();
      // The same policy and the same certificate store as the sockets (net/tls_policy.h,
      // net/tls_client_context.h); cpprestsdk adds its own host name check on each connection.
      apply_client_tls_policy(native);
      SSL_CTX_set1_cert_store(native, trust->store());
      SSL_CTX_set_ex_data(native, tls_state_index(), state.get());
      SSL_CTX_set_info_callback(native, record_handshake);
   });
   const ProxySettings proxy = proxy_for(tls_, web::uri(origin).host(), context);
   if (proxy.enabled()) {
      // Through the plugin's bridge (http/proxy_bridge.h), never with the user's credentials.
      const ProxyBridge &bridge = bridge_for(proxy, context);
      web::web_proxy through{web::uri(bridge.url())};
      through.set_credentials(web::credentials(bridge.username(), std::string(bridge.password().view())));
      config.set_proxy(through);
      context.host().debug("HTTP: " + origin + " through the proxy " + proxy.label() +
                           " (by the plugin's bridge at " + bridge.url() + ")");
   }
   auto client = std::make_unique<web::http::client::http_client>(web::uri(origin), config);
   return *clients_.emplace(origin, std::move(client)).first->second;
}

ProxyBridge &HttpsClient::bridge_for(const ProxySettings &proxy, CallContext &context) {
   std::unique_ptr<ProxyBridge> &bridge = bridges_[proxy.label()];
   if (!bridge) bridge = std::make_unique<ProxyBridge>(proxy, context.timeout());
   return *bridge;
}

void HttpsClient::rethrow_bridge_failure(const std::string &host, std::uint16_t port) {
   for (auto &[label, bridge] : bridges_)
      if (std::optional<Failure> failure = bridge->take_failure(host, port)) throw *failure;
}

void HttpsClient::diagnose_tls(const std::string &host, std::uint16_t port, CallContext &context,
                               const std::string &library_message) {
   // Through the proxy, as the request went.
   const ServerEndpoint endpoint = https_endpoint(host, port, tls_, context);
   try {
      // Says which check failed, when one did; within what is left of the call's time.
      CallContext diagnosis(context, context.remaining(), endpoint_label(host, port));
      Transport::open(endpoint, diagnosis);
   } catch (const Failure &failure) {
      if (failure.status() != RPA_PROTOCOL_ERROR) throw;  // tls_failed names the check
   }
   throw Failure(RPA_TLS_FAILED,
                 "the TLS connection to " + endpoint_label(host, port) + " failed: " + library_message);
}

std::unique_ptr<Http1Connection> HttpsClient::stream_connection() const {
   return std::make_unique<Http1Connection>(tls_, kMaxStreamedPartBytes);
}

HttpResponse HttpsClient::send_streamed(Http1Connection &connection, const HttpRequest &request,
                                        CallContext &context, const char *what) {
   const RequestTarget target = target_of(request, what);
   if (target.plain)
      throw Failure(RPA_TLS_FAILED, std::string("refusing to stream ") + what + " over http://");
   return connection.send_streamed(target.host, target.port, target.uri.resource().to_string(), request,
                                   context);
}

HttpResponse HttpsClient::send(const HttpRequest &request, CallContext &context, const char *what) {
   if (const RequestTarget target = target_of(request, what); request.one_connection || !target.plain) {
      if (!one_connection_) one_connection_ = std::make_unique<Http1Connection>(tls_, kMaxResponseBytes);
      CallContext to_peer(context, context.remaining(), peer_of(target.uri));  // waits name this peer
      return one_connection_->send(target.host, target.port, target.uri.resource().to_string(), request,
                                   to_peer);
   }
   try {
      return send_once(request, context, what);
   } catch (const StaleConnection &) {
      // A kept-alive connection the server had already closed: once more on a new connection.
      // Nothing reached the server's application, so even a token POST is safe to repeat.
      context.host().debug(std::string("HTTP: the kept-alive connection was closed; retrying ") + what);
      clients_.clear();
      try {
         return send_once(request, context, what);
      } catch (const StaleConnection &stale) {
         throw Failure(RPA_CONNECTION_FAILED, stale.what());
      }
   }
}

HttpResponse HttpsClient::send_once(const HttpRequest &request, CallContext &context, const char *what) {
   const RequestTarget target = target_of(request, what);
   const web::uri &uri = target.uri;
   const std::string &host = target.host;
   const std::uint16_t port = target.port;
   web::http::client::http_client &client = client_for(origin_of(uri), context);

   web::http::http_request message(request.method);
   message.set_request_uri(uri.resource());
   std::uint64_t sent = request.method.size() + uri.resource().to_string().size() + 12;
   for (const auto &[name, value] : request.headers) {
      message.headers().add(name, value);
      sent += name.size() + value.size() + 4;
   }
   if (!request.authorization.empty()) {
      message.headers().add("Authorization", std::string(request.authorization.view()));
      sent += request.authorization.size() + 17;
   }
   if (!request.body.empty() || request.method == "POST") {
      message.set_body(std::string(request.body.view()), request.content_type);
      sent += request.body.size() + request.content_type.size() + 40;
   }

   pplx::cancellation_token_source cancel;
   auto head_of = [](const web::http::http_response &response) {
      HttpResponse result;
      result.status = response.status_code();
      for (const auto &[name, value] : response.headers()) result.headers[to_lower_ascii(name)] = value;
      return result;
   };
   // The response travels through the library's tasks by a shared pointer: a task's result is
   // copied at every step (into the task, out of get()), and a body may be megabytes.
   pplx::task<std::shared_ptr<HttpResponse>> exchange;
   if (request.spool) {
      // The library writes the body to the spool file on its own threads, in bounded memory.
      concurrency::streams::ostream file =
          concurrency::streams::stdio_ostream<std::uint8_t>(request.spool->rewrite());
      message.set_response_stream(file);
      exchange = client.request(message, cancel.get_token())
                     .then([file, head_of](web::http::http_response response) {
                        if (response.headers().content_length() > kMaxSpooledBytes)
                           throw std::length_error("response too large");
                        return response.content_ready().then([file, head_of](web::http::http_response ready) {
                           return file.close().then(
                               [ready, head_of] { return std::make_shared<HttpResponse>(head_of(ready)); });
                        });
                     });
   } else {
      exchange =
          client.request(message, cancel.get_token()).then([head_of](web::http::http_response response) {
             auto length = response.headers().content_length();
             if (length > kMaxResponseBytes) throw std::length_error("response too large");
             return response.content_ready().then([head_of](web::http::http_response ready) {
                auto result = std::make_shared<HttpResponse>(head_of(ready));
                take_body(ready, result->body);
                return result;
             });
          });
   }
   HttpResponse response;
   try {
      response = std::move(*wait_for(exchange, cancel, context, what, peer_of(uri)));
   } catch (const Failure &) {
      throw;
   } catch (const std::length_error &) {
      throw Failure(RPA_PROTOCOL_ERROR,
                    endpoint_label(host, port) + " sent a response larger than " +
                        std::to_string(request.spool ? kMaxSpooledBytes : kMaxResponseBytes) + " bytes to " +
                        what);
   } catch (const web::http::http_exception &error) {
      const std::string message_text = error.what();
      rethrow_bridge_failure(host, port);  // the proxy's refusal, in the plugin's words
      const ProxySettings proxy = proxy_for(tls_, host, context);
      const std::size_t received = message_text.find("from proxy, received: ");
      if (proxy.enabled() && received != std::string::npos)  // the bridge's own answer (busy, ...)
         throw Failure(RPA_CONNECTION_FAILED,
                       "the plugin's bridge to the proxy " + proxy.label() + " could not open a tunnel to " +
                           endpoint_label(host, port) + " for " + what + " (HTTP " +
                           std::to_string(std::atoi(message_text.c_str() + received + 22)) + ")");
      if (error.error_code() == std::errc::timed_out)
         throw Failure(RPA_TIMEOUT, peer_of(uri) + " did not answer " + what + " within " +
                                        std::to_string(context.timeout().count() / 1000) +
                                        " seconds (timeout_seconds)");
      if (message_text.find("SSL") != std::string::npos ||
          message_text.find("handshake") != std::string::npos ||
          message_text.find("certificate") != std::string::npos)
         diagnose_tls(host, port, context, message_text);
      if (message_text == "Failed to write request body" || message_text == "Failed to read HTTP status line")
         throw StaleConnection("cannot reach " + endpoint_label(host, port) + " for " + what + ": " +
                               message_text);
      throw Failure(RPA_CONNECTION_FAILED,
                    "cannot reach " + endpoint_label(host, port) + " for " + what +
                        (proxy.enabled() ? " through the proxy " + proxy.label() : "") + ": " + message_text);
   } catch (const pplx::task_canceled &) {
      throw Failure(RPA_CANCELLED, std::string(what) + " was cancelled");
   }
   if (response.status == 502) rethrow_bridge_failure(host, port);  // a plain http:// request's
   if (response.status == 407) {  // a plain http:// request forwarded to an HTTP proxy
      const ProxySettings proxy = proxy_for(tls_, host, context);
      if (proxy.enabled()) throw proxy_refused_credentials(proxy, "HTTP 407");
   }
   if (response.body.size() > kMaxResponseBytes)
      throw Failure(RPA_PROTOCOL_ERROR, endpoint_label(host, port) + " sent a response larger than " +
                                            std::to_string(kMaxResponseBytes) + " bytes");
   if (request.spool) {
      const std::uint64_t spooled = request.spool->size();
      if (spooled > kMaxSpooledBytes)
         throw Failure(RPA_PROTOCOL_ERROR, endpoint_label(host, port) + " sent a response larger than " +
                                               std::to_string(kMaxSpooledBytes) + " bytes to " + what);
      stats_.bytes_received += spooled;
      if (response.status < 200 || response.status >= 300) {  // an error's body: the caller reads it
         request.spool->read([&](std::string_view chunk) {
            response.body.append(chunk.substr(0, kMaxResponseBytes - response.body.size()));
            return response.body.size() < kMaxResponseBytes;
         });
      }
   }
   stats_.round_trips += 1;
   stats_.bytes_sent += sent;
   stats_.bytes_received += response.body.size();
   for (const auto &[name, value] : response.headers) stats_.bytes_received += name.size() + value.size() + 4;
   return response;
}

}  // namespace email
