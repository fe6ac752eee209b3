// Http1Connection: one HTTP/1.1 connection of the plugin's own, for exchanges that must stay on one
// connection: NTLM's three legs (NTLM over HTTP authenticates the connection, MS-NTHT), which
// cpprestsdk cannot promise — its pool takes a connection back only when the library's request
// object is destroyed, on one of its own threads, so the next leg may go out on a new connection
// and meet a server that never saw the challenge.
//
// Built on net/transport.h: TLS with the plugin's one client policy (certificate and host name
// verified; a failed check named), proxies through net/proxy.h, every wait through the
// CallContext. Requests go one after another; a response is read whole (Content-Length or chunked,
// at most `max_body` bytes) and the connection is kept until the server closes it or asks to
// (`Connection: close`). A kept connection the server has closed meanwhile is opened again before
// the request is sent. Any failure mid-exchange closes the connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "http/https_client.h"
#include "net/call_context.h"
#include "net/tls_settings.h"
#include "net/transport.h"

namespace email {

// Where a response is read from: the connection, or a string (tests and fuzzing).
class HttpSource {
 public:
   virtual ~HttpSource() = default;
   // One line without its CRLF; throws Failure past Transport::kMaxLineBytes or at the end.
   virtual std::string line() = 0;
   // Exactly `size` bytes; throws Failure at the end.
   virtual std::string exact(std::size_t size) = 0;
};

// A response already in memory (tests, fuzzing): lines end at LF (a CR before it is dropped);
// reading past the end throws Failure(connection_failed), as a closed connection does.
class TextSource : public HttpSource {
 public:
   explicit TextSource(std::string text) : text_(std::move(text)) {}
   std::string line() override;
   std::string exact(std::size_t size) override;

 private:
   std::string text_;
   std::size_t at_ = 0;
};

// Reads one response (skipping 1xx ones): status line, headers (at most 200 lines and 256 KiB;
// names in lower case; a repeated header's values joined by ", ", as cpprestsdk joins them), and
// the body by Content-Length or chunked encoding, none for 204 and 304 (and HEAD: `head`). Sets
// `keep_alive` to whether the connection may carry another request. Throws Failure(protocol_error)
// for what is not HTTP/1.x, a body over `max_body`, or a response with neither length nor chunked
// encoding (the end could only be told by the close) (pure over `source`; fuzzed in
// http1_response).
HttpResponse read_http_response(HttpSource &source, std::size_t max_body, bool head, bool &keep_alive);
// The status line and headers of one response, as read_http_response reads them; the body is left.
HttpResponse read_http_head(HttpSource &source, bool &keep_alive);

// Reads a body part by part as the server sends it: a chunk at a time (chunked encoding; a chunk
// over `max_part` in pieces of `max_part`), or `max_part` bytes at a time by Content-Length.
// Throws Failure(protocol_error) as read_http_response does.
class HttpBodyReader {
 public:
   HttpBodyReader(const HttpResponse &head, std::size_t max_part);
   // The next part, or nullopt at the body's end (trailers read).
   std::optional<std::string> next(HttpSource &source);
   // Content-Length, or nullopt for a chunked body.
   std::optional<std::uint64_t> length() const { return length_; }
   bool ended() const { return ended_; }

 private:
   std::size_t max_part_;
   bool chunked_ = false;
   bool ended_ = false;
   std::uint64_t left_ = 0;
   std::uint64_t chunk_left_ = 0;  // of the chunk being read
   std::optional<std::uint64_t> length_;
};

class Http1Connection {
 public:
   Http1Connection(TlsSettings tls, std::size_t max_body);
   ~Http1Connection();
   Http1Connection(const Http1Connection &) = delete;
   Http1Connection &operator=(const Http1Connection &) = delete;

   // Sends `request` to `target` ("/EWS/Exchange.asmx?x=y") on https://host:port over this
   // connection, opening it first when there is none or it is to another origin; returns the
   // response whatever its status (`request.url` is not read again: HttpsClient checked it; a 2xx
   // answer's body goes to `request.spool` when it is set, as HttpsClient::send spools). Throws Failure: tls_failed, connection_failed, timeout, cancelled,
   // protocol_error.
   HttpResponse send(const std::string &host, std::uint16_t port, const std::string &target,
                     const HttpRequest &request, CallContext &context);

   // As send(), for a response that goes on for minutes (EWS's GetStreamingEvents): a 2xx
   // response's body is left on the connection for next_part(); other answers are read whole
   // (a sign-in's 401, an error's fault). The connection carries nothing else until the body ends.
   HttpResponse send_streamed(const std::string &host, std::uint16_t port, const std::string &target,
                              const HttpRequest &request, CallContext &context);
   // The streamed body's next part (a chunk, at most `max_part` bytes) once the server sends it
   // within `wait`; nullopt when it stayed silent that long or the context's wake_fd() turned
   // readable first; "" at the body's end (then streaming() is false). Throws Failure as send().
   std::optional<std::string> next_part(std::chrono::milliseconds wait, CallContext &context);
   // A streamed body is being read.
   bool streaming() const { return body_ != nullptr; }

   // Which connection the last request went out on: 1 for the first one opened, one more for
   // each opened after it; 0 before any. (A server that keeps an NTLM sign-in for its connection,
   // as IIS does, knows the caller on this one.)
   std::uint64_t serial() const { return transport_ ? serial_ : 0; }

   // Bytes and round trips of every connection so far (TLS handshakes excluded).
   TransportStats stats() const;
   std::string tls_version() const;

 private:
   void open(const std::string &host, std::uint16_t port, CallContext &context);
   void close();  // keeps the connection's stats in closed_
   // Opens or reuses the connection and writes the request (send's first half).
   void write_request(const std::string &host, std::uint16_t port, const std::string &target,
                      const HttpRequest &request, CallContext &context);

   TlsSettings tls_;
   std::size_t max_body_;
   std::unique_ptr<Transport> transport_;
   std::string origin_;                    // host:port of the open connection
   std::uint64_t serial_ = 0;              // of the open connection
   TransportStats closed_;                 // of the connections closed so far
   std::unique_ptr<HttpBodyReader> body_;  // a streamed body not yet read to its end
   bool keep_alive_ = false;               // after the streamed body
};

}  // namespace email
