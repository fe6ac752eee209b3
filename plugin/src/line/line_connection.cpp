#include "line/line_connection.h"

#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {
// How long a server may take to greet before we find out whether it waits for a TLS ClientHello.
constexpr std::chrono::milliseconds kGreetingGrace{1000};
}  // namespace

LineConnection::LineConnection(const char *protocol, const ServerEndpoint &endpoint, CallContext &context)
    : protocol_(protocol), endpoint_(endpoint), server_(endpoint.label()) {
   transport_ = open_transport(context);
}

std::unique_ptr<Transport> LineConnection::open_transport(CallContext &context) {
   const std::string port = std::to_string(endpoint_.port);
   auto transport = Transport::connect(endpoint_, context);
   if (endpoint_.tls == TlsPolicy::implicit) {
      try {
         transport->start_tls(endpoint_.tls_settings, context);
         return transport;
      } catch (const PlaintextAnswer &answer) {
         if (!endpoint_.tls_guessed)
            throw Failure(
                RPA_TLS_FAILED,
                std::string(answer.what()) + "; set tls_mode to \"starttls\" (or use the server's TLS port)");
      }
      // tls_mode auto guessed implicit TLS from the port, and the server greets in plain text.
      endpoint_.tls = TlsPolicy::starttls_required;
      tls_found_out_ = "port " + port + " greets in plain text, so STARTTLS was used";
      context.host().info(std::string(protocol_) + ": " + server_ + ": " + tls_found_out_);
      return Transport::connect(endpoint_, context);
   }
   if (transport->speaks_within(kGreetingGrace, context)) return transport;
   // Silence where a greeting was due: a server that expects TLS at once waits for our ClientHello.
   try {
      transport->start_tls(endpoint_.tls_settings, context);
   } catch (const PlaintextAnswer &) {
      // It was only slow to greet, and our ClientHello spoiled this connection: start again and wait.
      return Transport::connect(endpoint_, context);
   }
   if (!endpoint_.tls_guessed)
      throw Failure(RPA_TLS_FAILED, server_ +
                                        " expects TLS at once (it answered a TLS handshake where a greeting "
                                        "was due); set tls_mode to \"implicit\"");
   endpoint_.tls = TlsPolicy::implicit;
   tls_found_out_ = "port " + port + " expects TLS at once, so implicit TLS was used";
   context.host().info(std::string(protocol_) + ": " + server_ + ": " + tls_found_out_);
   return transport;
}

void LineConnection::send_line(std::string_view line, CallContext &context, std::string_view trace) {
   const bool tracing = context.host().logs(RPA_LOG_DEBUG);  // asked once; nothing built when dropped
   auto trace_sent = [&](std::string_view text) {
      if (tracing)
         context.host().log_asked(RPA_LOG_DEBUG, std::string(protocol_) + " C: " + std::string(text));
   };
   if (!queued_.empty()) {
      // Pipelined: the queued lines and this one in one write (queued lines hold no secret).
      std::string queued;
      queued.swap(queued_);
      for (std::size_t start = 0; tracing && start < queued.size();) {
         const std::size_t end = queued.find("\r\n", start);
         trace_sent(std::string_view(queued).substr(start, end - start));
         start = end == std::string::npos ? queued.size() : end + 2;
      }
      trace_sent(trace);
      SecretString both;
      both.reserve(queued.size() + line.size());
      both.append(queued);
      both.append(line);
      transport_->write(both.view(), context);
      return;
   }
   trace_sent(trace);
   transport_->write(line, context);
}

void LineConnection::send_last_line(std::string_view line, CallContext &context) {
   context.host().debug(std::string(protocol_) + " C: " + std::string(line.substr(0, line.find('\r'))) +
                        (transport_->is_tls() ? " (with the TLS close_notify)" : ""));
   transport_->write_last(line, context);
}

std::string LineConnection::read_line(CallContext &context, const char *waiting_for) {
   std::string line = transport_->read_line(context, waiting_for);
   trace_received(line, context);
   return line;
}

void LineConnection::trace_received(const std::string &text, CallContext &context) const {
   if (!context.host().logs(RPA_LOG_DEBUG)) return;  // nothing built for a host that drops it
   // A server may echo what it was sent; the trace never shows the secret (while one is set: the
   // sign-in; else the text is not copied to be searched).
   context.host().log_asked(RPA_LOG_DEBUG,
                            std::string(protocol_) + " S: " +
                                printable(trace_secret_.empty() ? text : redact(text, {trace_secret_}), 200));
}

}  // namespace email
