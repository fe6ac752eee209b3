// LineConnection: the line I/O of a text protocol (IMAP, POP3): the connection (TLS first when
// its policy is implicit; with tls_mode "auto", finding out which TLS the server speaks), lines
// out and in, their traces in the host's debug log with the secret redacted, and pipelining
// (queued lines go out in front of the next one, in one write).
//
// Secrets: what the client sends is traced from the caller's `trace` text, which never holds a
// secret; while a RedactedInTraces lives, the secret is redacted from every trace of what the
// server sent (a server may echo it). Not thread-safe (one per client; the session serialises
// calls).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "net/call_context.h"
#include "net/server_endpoint.h"
#include "net/transport.h"

namespace email {

class LineConnection {
 public:
   // Connects to `endpoint`. `protocol` ("IMAP", "POP3") prefixes the traces. Throws Failure.
   LineConnection(const char *protocol, const ServerEndpoint &endpoint, CallContext &context);

   const char *protocol() const { return protocol_; }
   const std::string &server() const { return server_; }  // "host:port", for messages
   // As asked, with the TLS policy the server turned out to speak.
   const ServerEndpoint &endpoint() const { return endpoint_; }
   // tls_mode auto: what the server turned out to speak ("port 993 greets in plain text, ..."), or "".
   const std::string &tls_found_out() const { return tls_found_out_; }
   Transport &transport() { return *transport_; }
   const Transport &transport() const { return *transport_; }

   // Writes `line` (CRLF included); the trace shows `trace` instead. Queued lines go first, in
   // the same write.
   void send_line(std::string_view line, CallContext &context, std::string_view trace);
   // Queues `line` (CRLF included, no secret) to go out in front of the next send_line (pipelining).
   void queue_line(std::string line) { queued_ += line; }
   // The goodbye (LOGOUT, QUIT): like send_line, with the TLS close_notify in the same segment.
   void send_last_line(std::string_view line, CallContext &context);
   // One line from the server, traced with the secret redacted.
   std::string read_line(CallContext &context, const char *waiting_for);
   // Traces what the server sent, redacted (for reads the protocol assembles itself).
   void trace_received(const std::string &text, CallContext &context) const;

   // While it lives, `secret` is redacted from the traces of what the server sends.
   class RedactedInTraces {
    public:
      RedactedInTraces(LineConnection &connection, std::string_view secret) : connection_(connection) {
         connection_.trace_secret_ = secret;
      }
      ~RedactedInTraces() { connection_.trace_secret_ = {}; }
      RedactedInTraces(const RedactedInTraces &) = delete;
      RedactedInTraces &operator=(const RedactedInTraces &) = delete;

    private:
      LineConnection &connection_;
   };

 private:
   // Connects; with a guessed TLS mode (tls_mode auto) finds out which one the server speaks;
   // with an explicit one names the fix when the server speaks the other.
   std::unique_ptr<Transport> open_transport(CallContext &context);

   const char *protocol_;
   ServerEndpoint endpoint_;
   std::string server_;
   std::string tls_found_out_;
   std::unique_ptr<Transport> transport_;
   std::string_view trace_secret_;  // redacted from traces while a RedactedInTraces lives
   std::string queued_;             // lines to send in front of the next one
};

}  // namespace email
