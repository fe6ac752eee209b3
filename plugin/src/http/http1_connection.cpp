#include "http/http1_connection.h"

#include <charconv>
#include <limits>
#include <ostream>

#include "net/server_endpoint.h"
#include "http/spooled_body.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr std::size_t kMaxHeaderLines = 200;
constexpr std::size_t kMaxHeaderBytes = 256 * 1024;  // all header lines of one response together

[[noreturn]] void not_http(const std::string &why) {
   throw Failure(RPA_PROTOCOL_ERROR, "the server's HTTP answer is not valid: " + why);
}

std::string trimmed(const std::string &text) {
   const std::size_t first = text.find_first_not_of(" \t");
   if (first == std::string::npos) return "";
   return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// "HTTP/1.1 401 Unauthorized" -> 401.
int status_of(const std::string &line) {
   if (line.size() < 12 || line.compare(0, 7, "HTTP/1.") != 0 || line[8] != ' ')
      not_http("the status line is \"" + printable(line, 60) + "\"");
   int status = 0;
   auto [end, error] = std::from_chars(line.data() + 9, line.data() + 12, status);
   if (error != std::errc() || end != line.data() + 12 || status < 100 ||
       (line.size() > 12 && line[12] != ' '))
      not_http("the status line is \"" + printable(line, 60) + "\"");
   return status;
}

// The size on a chunk's line ("1a3f;extension" -> 0x1a3f).
std::uint64_t chunk_size_of(const std::string &line, std::uint64_t max_body) {
   const std::string digits = trimmed(line.substr(0, line.find(';')));
   std::uint64_t size = 0;
   auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), size, 16);
   if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || size > max_body)
      not_http("a chunk's size is \"" + printable(line, 40) + "\"");
   return size;
}

// A Transport as an HttpSource.
class TransportSource : public HttpSource {
 public:
   TransportSource(Transport &transport, CallContext &context) : transport_(transport), context_(context) {}
   std::string line() override { return transport_.read_line(context_, "the HTTP response"); }
   std::string exact(std::size_t size) override {
      return transport_.read_exact(size, context_, "the HTTP response");
   }

 private:
   Transport &transport_;
   CallContext &context_;
};

}  // namespace

std::string TextSource::line() {
   const std::size_t end = text_.find('\n', at_);
   if (end == std::string::npos || end - at_ > Transport::kMaxLineBytes)
      throw Failure(RPA_CONNECTION_FAILED, "the response ended while we waited for a line");
   std::string line = text_.substr(at_, end - at_);
   if (!line.empty() && line.back() == '\r') line.pop_back();
   at_ = end + 1;
   return line;
}

std::string TextSource::exact(std::size_t size) {
   if (text_.size() - at_ < size) throw Failure(RPA_CONNECTION_FAILED, "the response ended within its body");
   std::string bytes = text_.substr(at_, size);
   at_ += size;
   return bytes;
}

HttpResponse read_http_head(HttpSource &source, bool &keep_alive) {
   HttpResponse response;
   std::string version;
   do {  // 1xx answers (100 Continue) come before the real one
      response = HttpResponse();
      const std::string status_line = source.line();
      response.status = status_of(status_line);
      version = status_line.substr(0, 8);
      std::size_t header_bytes = 0;
      for (std::size_t count = 0;; ++count) {
         const std::string line = source.line();
         if (line.empty()) break;
         if (count == kMaxHeaderLines) not_http("more than 200 header lines");
         header_bytes += line.size();
         if (header_bytes > kMaxHeaderBytes) not_http("its headers are larger than 256 KiB");
         const std::size_t colon = line.find(':');
         if (colon == std::string::npos || colon == 0)
            not_http("a header line is \"" + printable(line, 60) + "\"");
         const std::string name = to_lower_ascii(line.substr(0, colon));
         const std::string value = trimmed(line.substr(colon + 1));
         auto [at, added] = response.headers.emplace(name, value);
         if (!added) at->second += ", " + value;
      }
   } while (response.status < 200);

   const std::string connection = to_lower_ascii(response.header("connection"));
   keep_alive = version == "HTTP/1.1" ? connection.find("close") == std::string::npos
                                      : connection.find("keep-alive") != std::string::npos;
   return response;
}

HttpBodyReader::HttpBodyReader(const HttpResponse &head, std::size_t max_part) : max_part_(max_part) {
   const std::string encoding = to_lower_ascii(head.header("transfer-encoding"));
   const std::string length_text = head.header("content-length");
   if (encoding.find("chunked") != std::string::npos) {
      chunked_ = true;
   } else if (!length_text.empty()) {
      auto [end, error] = std::from_chars(length_text.data(), length_text.data() + length_text.size(), left_);
      length_ = left_;
      if (error != std::errc() || end != length_text.data() + length_text.size())
         not_http("Content-Length is \"" + printable(length_text, 40) + "\"");
   } else {
      not_http("it has neither Content-Length nor chunked encoding");
   }
}

std::optional<std::string> HttpBodyReader::next(HttpSource &source) {
   if (ended_) return std::nullopt;
   if (!chunked_) {
      const std::size_t size = std::min<std::uint64_t>(left_, max_part_);
      left_ -= size;
      ended_ = left_ == 0;
      if (size == 0) return std::nullopt;
      return source.exact(size);
   }
   if (chunk_left_ == 0) {
      chunk_left_ = chunk_size_of(source.line(), std::numeric_limits<std::uint64_t>::max());
      if (chunk_left_ == 0) {
         for (std::size_t count = 0; !source.line().empty(); ++count)  // trailers
            if (count == kMaxHeaderLines) not_http("more than 200 trailer lines");
         ended_ = true;
         return std::nullopt;
      }
   }
   const std::size_t size = std::min<std::uint64_t>(chunk_left_, max_part_);
   std::string part = source.exact(size);
   chunk_left_ -= size;
   if (chunk_left_ == 0 && !source.line().empty()) not_http("a chunk does not end with CRLF");
   return part;
}

namespace {

// Reads the rest of `response`'s body through `body` into response.body, refusing more than `max_body`.
void read_whole_body(HttpSource &source, HttpBodyReader &body, HttpResponse &response, std::size_t max_body) {
   if (body.length() && *body.length() > max_body)
      not_http("the body is larger than " + std::to_string(max_body) + " bytes");
   while (std::optional<std::string> part = body.next(source)) {
      if (response.body.size() + part->size() > max_body)
         not_http("the body is larger than " + std::to_string(max_body) + " bytes");
      response.body += *part;
   }
}

// The rest of `response`'s body into `spool` when it is a 2xx answer's (at most
// HttpsClient::kMaxSpooledBytes, kSpoolPartBytes in memory at a time), else into response.body as
// read_http_response does.
constexpr std::size_t kSpoolPartBytes = 64 * 1024;
void spool_body(HttpSource &source, HttpResponse &response, SpooledBody &spool) {
   if (response.status == 204 || response.status == 304) return;
   if (response.status < 200 || response.status >= 300) {
      HttpBodyReader body(response, HttpsClient::kMaxResponseBytes);
      return read_whole_body(source, body, response, HttpsClient::kMaxResponseBytes);
   }
   HttpBodyReader body(response, kSpoolPartBytes);
   const std::string too_large =
       "the body is larger than " + std::to_string(HttpsClient::kMaxSpooledBytes) + " bytes";
   if (body.length() && *body.length() > HttpsClient::kMaxSpooledBytes) not_http(too_large);
   std::ostream &file = spool.rewrite();
   std::uint64_t written = 0;
   while (std::optional<std::string> part = body.next(source)) {
      if ((written += part->size()) > HttpsClient::kMaxSpooledBytes) not_http(too_large);
      file.write(part->data(), static_cast<std::streamsize>(part->size()));
   }
   if (!file.flush()) throw Failure(RPA_INTERNAL, "the temporary file for a response body cannot be written");
}

}  // namespace

HttpResponse read_http_response(HttpSource &source, std::size_t max_body, bool head, bool &keep_alive) {
   HttpResponse response = read_http_head(source, keep_alive);
   if (head || response.status == 204 || response.status == 304) return response;
   HttpBodyReader body(response, max_body);
   read_whole_body(source, body, response, max_body);
   return response;
}

Http1Connection::Http1Connection(TlsSettings tls, std::size_t max_body)
    : tls_(std::move(tls)), max_body_(max_body) {}

Http1Connection::~Http1Connection() = default;

void Http1Connection::open(const std::string &host, std::uint16_t port, CallContext &context) {
   close();
   transport_ = Transport::open(https_endpoint(host, port, tls_, context), context);
   origin_ = endpoint_label(host, port);
   ++serial_;
}

void Http1Connection::close() {
   if (transport_) closed_ += transport_->stats();
   transport_.reset();
   body_.reset();
}

TransportStats Http1Connection::stats() const {
   TransportStats total = closed_;
   if (transport_) total += transport_->stats();
   return total;
}

std::string Http1Connection::tls_version() const { return transport_ ? transport_->tls_version() : ""; }

void Http1Connection::write_request(const std::string &host, std::uint16_t port, const std::string &target,
                                    const HttpRequest &request, CallContext &context) {
   // A streamed body not read to its end leaves the connection in the middle of a response.
   if (body_) close();

   // A kept connection to this origin, unless the server has closed it (or said something
   // unasked) meanwhile.
   if (!transport_ || origin_ != endpoint_label(host, port) ||
       transport_->speaks_within(std::chrono::milliseconds(0), context))
      open(host, port, context);

   SecretString message;
   message.append(request.method + " " + (target.empty() ? "/" : target) + " HTTP/1.1\r\n");
   message.append("Host: " + (port != 443 ? endpoint_label(host, port) : host) + "\r\n");
   for (const auto &[name, value] : request.headers) message.append(name + ": " + value + "\r\n");
   if (!request.authorization.empty()) {
      message.append("Authorization: ");
      message.append(request.authorization.view());
      message.append("\r\n");
   }
   if (!request.body.empty() || request.method == "POST") {
      if (!request.content_type.empty()) message.append("Content-Type: " + request.content_type + "\r\n");
      message.append("Content-Length: " + std::to_string(request.body.size()) + "\r\n");
   }
   message.append("\r\n");
   message.append(request.body.view());
   try {
      transport_->write(message.view(), context);
   } catch (const Failure &) {
      close();
      throw;
   }
}

HttpResponse Http1Connection::send(const std::string &host, std::uint16_t port, const std::string &target,
                                   const HttpRequest &request, CallContext &context) {
   write_request(host, port, target, request, context);
   try {
      TransportSource source(*transport_, context);
      bool keep_alive = false;
      HttpResponse response;
      if (request.spool) {
         response = read_http_head(source, keep_alive);
         spool_body(source, response, *request.spool);
      } else {
         response = read_http_response(source, max_body_, request.method == "HEAD", keep_alive);
      }
      if (!keep_alive) close();
      return response;
   } catch (const Failure &) {
      close();  // where the exchange stopped is unknown: never reuse it
      throw;
   }
}

HttpResponse Http1Connection::send_streamed(const std::string &host, std::uint16_t port,
                                            const std::string &target, const HttpRequest &request,
                                            CallContext &context) {
   write_request(host, port, target, request, context);
   try {
      TransportSource source(*transport_, context);
      bool keep_alive = false;
      HttpResponse head = read_http_head(source, keep_alive);
      auto body = std::make_unique<HttpBodyReader>(head, max_body_);
      if (head.status >= 200 && head.status < 300 && head.status != 204) {
         body_ = std::move(body);
         keep_alive_ = keep_alive;
         return head;
      }
      read_whole_body(source, *body, head, max_body_);
      if (!keep_alive) close();
      return head;
   } catch (const Failure &) {
      close();
      throw;
   }
}

std::optional<std::string> Http1Connection::next_part(std::chrono::milliseconds wait, CallContext &context) {
   if (!body_ || !transport_) return std::string();
   try {
      if (!transport_->speaks_within(wait, context)) return std::nullopt;
      TransportSource source(*transport_, context);
      std::optional<std::string> part = body_->next(source);
      if (part) return part;
      body_.reset();
      if (!keep_alive_) close();
      return std::string();
   } catch (const Failure &) {
      close();
      throw;
   }
}

}  // namespace email
