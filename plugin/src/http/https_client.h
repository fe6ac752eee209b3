// HttpsClient: the HTTP side of the plugin (EWS, Microsoft Graph, Autodiscover, OAuth2 token
// endpoints).
//
// - https:// requests go out on one HTTP/1.1 connection of the plugin's own (http/http1_connection.h
//   over net/transport.h), kept between requests and opened again when a request is for another
//   origin or the server closed it: the plugin's one TLS client policy and its shared TLS context
//   per trust source (net/tls_client_context.h: the trust store read once per process, TLS
//   sessions resumed), no thread hops, the body read once into the response. Before, cpprestsdk
//   made a new SSL context per connection and parsed the system's whole CA bundle into it
//   (X509_STORE_set_default_paths) each time. The certificate chain and host name are verified
//   against the system store, or against `ca_file` alone when one is given (as for IMAP/POP3);
//   TLS 1.2 at least; a failed check is named ("certificate has expired", "host name mismatch").
// - Plain http:// (Autodiscover's unauthenticated redirect check only) goes through cpprestsdk.
// - Every request waits through the CallContext: the call's deadline, cancellation within
//   200 ms; timeouts and failures name the URL.
// - Redirects are not followed: callers decide (Autodiscover follows them by its own rules).
// - Responses are bounded (kMaxResponseBytes; spooled ones kMaxSpooledBytes).
// - Proxies (net/proxy.h), every kind, through the plugin's own proxy client (cpprestsdk's
//   requests through a loopback bridge of this client, http/proxy_bridge.h: the library speaks
//   HTTP proxies only and would keep unwiped copies of the proxy password). A refusal names the
//   proxy.
// Secrets: the Authorization value and request bodies are SecretStrings, written to the TLS
// connection from there (cpprestsdk, for plain http://, copies them into its own strings).
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/spooled_body.h"
#include "http/proxy_bridge.h"
#include "net/call_context.h"
#include "net/tls_client_context.h"
#include "net/tls_settings.h"
#include "net/transport.h"
#include "util/authorization.h"
#include "util/secret.h"

namespace web::http::client {
class http_client;
}

namespace email {

class Http1Connection;

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
   std::string method = "POST";
   std::string url;             // absolute https:// URL
   HttpHeaders headers;         // never secrets
   SecretString authorization;  // the Authorization header's value, or empty
   std::string content_type;
   SecretString body;
   // Autodiscover's unauthenticated redirect check only: lets an http:// URL through when the
   // request carries no authorization and no body.
   bool allow_plain_http = false;
   // When set, a 2xx response's body goes to this file (up to kMaxSpooledBytes) and the
   // response's `body` stays empty; other answers' bodies are read back into `body` as usual.
   SpooledBody *spool = nullptr;
   // Plain http:// only (https:// always does): go out on the client's own connection
   // (http/http1_connection.h), kept between requests, as NTLM's legs must share one.
   bool one_connection = false;
   // Sent on a connection the caller keeps (send_streamed): an NTLM sign-in kept for the
   // `one_connection` one does not hold there, so every leg is sent anew.
   bool own_connection = false;
};

struct HttpResponse {
   int status = 0;
   std::map<std::string, std::string> headers;  // names in lower case
   std::string body;

   // The header's value, or "" (name in lower case).
   std::string header(const std::string &name) const;
};

class HttpsClient {
 public:
   static constexpr std::size_t kMaxResponseBytes = 16 * 1024 * 1024;
   // Exchange Online takes messages up to 150 MB.
   static constexpr std::uint64_t kMaxSpooledBytes = 256ULL * 1024 * 1024;

   explicit HttpsClient(TlsSettings tls);
   ~HttpsClient();
   HttpsClient(const HttpsClient &) = delete;
   HttpsClient &operator=(const HttpsClient &) = delete;

   // Sends `request` and returns the response, whatever its status. Throws Failure:
   // tls_failed (not https, handshake or certificate), connection_failed, timeout, cancelled,
   // protocol_error (response too large). `what` names the exchange in messages ("the EWS
   // request", "the token request").
   HttpResponse send(const HttpRequest &request, CallContext &context, const char *what);

   // A response that goes on for minutes (EWS's GetStreamingEvents), on a connection of its own
   // that the caller keeps: stream_connection() makes one with this client's TLS settings and
   // proxy; send_streamed() sends `request` on it (Http1Connection::send_streamed: a 2xx answer's
   // body is left to be read part by part, each at most kMaxStreamedPartBytes).
   static constexpr std::size_t kMaxStreamedPartBytes = 4 * 1024 * 1024;
   std::unique_ptr<Http1Connection> stream_connection() const;
   HttpResponse send_streamed(Http1Connection &connection, const HttpRequest &request, CallContext &context,
                              const char *what);

   // The connection https:// requests go out on (http/http1_connection.h: serial()).
   std::uint64_t one_connection_serial() const;

   // Bytes and round trips of every request so far, on either kind of connection.
   TransportStats stats() const;
   std::string tls_version() const;  // of the last handshake, e.g. "TLSv1.3"

   struct TlsState;  // what the OpenSSL callbacks record

 private:
   HttpResponse send_once(const HttpRequest &request, CallContext &context, const char *what);
   web::http::client::http_client &client_for(const std::string &origin, CallContext &context);
   ProxyBridge &bridge_for(const ProxySettings &proxy, CallContext &context);
   // Throws what the proxy bridge met on its way to host:port, if it met something.
   void rethrow_bridge_failure(const std::string &host, std::uint16_t port);
   [[noreturn]] void diagnose_tls(const std::string &host, std::uint16_t port, CallContext &context,
                                  const std::string &library_message);

   TlsSettings tls_;
   std::shared_ptr<TlsClientContext> trust_;  // the trust source's shared store, from the first request
   std::shared_ptr<TlsState> tls_state_;      // shared with the library's SSL contexts
   // By proxy label; declared before clients_ so that the library's clients go first.
   std::map<std::string, std::unique_ptr<ProxyBridge>> bridges_;
   std::map<std::string, std::unique_ptr<web::http::client::http_client>> clients_;
   std::unique_ptr<Http1Connection> one_connection_;  // https:// requests, and `one_connection` ones
   TransportStats stats_;  // of the requests cpprestsdk sent (one_connection_ counts its own)
};

}  // namespace email
