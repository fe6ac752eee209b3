// Reading HTTP/1.1 responses on the plugin's own connection (http/http1_connection.h), from text:
// what NTLM's legs meet. The connection itself is tested against the EWS peer
// (tests/integration/test_windows_sign_in.cpp).
#include <doctest/doctest.h>

#include <vector>

#include "http/http1_connection.h"

using namespace email;

namespace {

HttpResponse read(const std::string &text, bool &keep_alive, std::size_t limit = 1024) {
   TextSource source(text);
   return read_http_response(source, limit, false, keep_alive);
}

std::string failure_of(const std::string &text, std::size_t limit = 1024) {
   try {
      bool keep_alive = false;
      read(text, keep_alive, limit);
   } catch (const Failure &failure) {
      return failure.what();
   }
   return "";
}

}  // namespace

TEST_CASE("an NTLM challenge: repeated WWW-Authenticate headers joined, kept alive") {
   bool keep_alive = false;
   const HttpResponse response = read(
       "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM TlRMTVNTUAACAAAA\r\nwww-authenticate:  Basic "
       "realm=\"x\" \r\nContent-Length: 0\r\n\r\n",
       keep_alive);
   CHECK(response.status == 401);
   CHECK(response.header("www-authenticate") == "NTLM TlRMTVNTUAACAAAA, Basic realm=\"x\"");
   CHECK(response.body.empty());
   CHECK(keep_alive);
}

TEST_CASE("bodies by Content-Length and by chunks - 1xx skipped - Connection: close and HTTP/1.0") {
   bool keep_alive = true;
   HttpResponse response = read(
       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: "
       "close\r\n\r\n"
       "5;ext=1\r\n<soap\r\n3\r\n/>\n\r\n0\r\nTrailer: x\r\n\r\n",
       keep_alive);
   CHECK(response.status == 200);
   CHECK(response.body == "<soap/>\n");
   CHECK_FALSE(keep_alive);
   response = read("HTTP/1.0 200 OK\r\nContent-Length: 4\r\n\r\nbody", keep_alive);
   CHECK(response.body == "body");
   CHECK_FALSE(keep_alive);
   response = read("HTTP/1.0 204 No Content\r\nConnection: Keep-Alive\r\n\r\n", keep_alive);
   CHECK(response.status == 204);
   CHECK(keep_alive);
}

TEST_CASE("a chunk larger than a part is read in parts of that size") {
   const std::string chunk(3000, 'c');
   TextSource source("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nbb8\r\n" + chunk +
                     "\r\n2\r\nde\r\n0\r\n\r\n");
   bool keep_alive = false;
   const HttpResponse head = read_http_head(source, keep_alive);
   HttpBodyReader body(head, 1024);
   std::vector<std::size_t> sizes;
   std::string whole;
   while (std::optional<std::string> part = body.next(source)) {
      sizes.push_back(part->size());
      whole += *part;
   }
   CHECK(sizes == std::vector<std::size_t>{1024, 1024, 952, 2});
   CHECK(whole == chunk + "de");
   CHECK(body.ended());
}

TEST_CASE("what is not HTTP, or too large, is a protocol error naming it") {
   CHECK(failure_of("SSH-2.0-OpenSSH\r\n\r\n").find("the status line is \"SSH-2.0-OpenSSH\"") !=
         std::string::npos);
   CHECK(failure_of("HTTP/1.1 20 OK\r\n\r\n").find("status line") != std::string::npos);
   CHECK(failure_of("HTTP/1.1 200 OK\r\nno colon\r\n\r\n").find("a header line") != std::string::npos);
   CHECK(failure_of("HTTP/1.1 200 OK\r\n\r\n").find("neither Content-Length nor chunked") !=
         std::string::npos);
   CHECK(failure_of("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n").find("larger than 1024") !=
         std::string::npos);
   CHECK(failure_of("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").find("Content-Length is") !=
         std::string::npos);
   CHECK(failure_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n")
             .find("a chunk's size") != std::string::npos);
   CHECK(failure_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + std::string(1024, 'x') +
                    "\r\n1\r\nx\r\n0\r\n\r\n")
             .find("larger than 1024") != std::string::npos);
   CHECK(failure_of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort").find("ended within its body") !=
         std::string::npos);
   std::string many = "HTTP/1.1 200 OK\r\n";
   for (int i = 0; i < 300; ++i) many += "X-Header: x\r\n";
   CHECK(failure_of(many + "\r\n").find("more than 200 header lines") != std::string::npos);
   std::string large = "HTTP/1.1 200 OK\r\n";
   for (int i = 0; i < 5; ++i) large += "X-Large: " + std::string(60 * 1024, 'x') + "\r\n";
   CHECK(failure_of(large + "\r\n").find("headers are larger than 256 KiB") != std::string::npos);
}
