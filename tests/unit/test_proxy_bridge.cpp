// The loopback bridge from cpprestsdk to a SOCKS5 proxy (http/proxy_bridge.h): who may use it,
// what it refuses, what it keeps for the caller, and that it lets go of everything when it goes.
// Carrying real traffic through real microsocks is in tests/integration/test_proxies.cpp.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "http/https_client.h"
#include "http/proxy_bridge.h"
#include "net/proxy.h"
#include "net/sockets.h"

using namespace email;

namespace {

namespace sockets = email::sockets;

// A blocking client connection to the bridge.
struct Client {
   int fd = -1;
   explicit Client(const ProxyBridge &bridge) {
      const std::string url = bridge.url();
      const int port = std::stoi(url.substr(url.rfind(':') + 1));
      fd = sockets::open_stream(AF_INET, false);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<std::uint16_t>(port));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      REQUIRE(sockets::connect_start(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
   }
   ~Client() { sockets::close(fd); }
   void send(const std::string &bytes) const {
      REQUIRE(sockets::send(fd, bytes.data(), bytes.size()) == static_cast<long>(bytes.size()));
   }
   // Everything until the bridge closes the connection (or 10 s).
   std::string read_all() const {
      std::string text;
      char chunk[4096];
      for (;;) {
         pollfd readable = sockets::poll_entry(fd, POLLIN);
         if (sockets::poll(&readable, 1, 10000) <= 0) break;
         const long got = sockets::recv(fd, chunk, sizeof chunk);
         if (got <= 0) break;
         text.append(chunk, static_cast<std::size_t>(got));
      }
      return text;
   }
};

std::string authorization(const ProxyBridge &bridge) {
   return "Proxy-Authorization: " +
          std::string(basic_authorization(bridge.username(), bridge.password().view()).view()) + "\r\n";
}

ProxySettings socks_proxy_that_is_down() {
   return parse_proxy_url("socks5h://127.0.0.1:9");  // discard port: nothing listens
}

}  // namespace

TEST_CASE("the SOCKS5 bridge reads CONNECT and absolute-form request lines - and nothing else") {
   using Kind = ProxyRequestLine::Kind;
   const ProxyRequestLine tunnel = read_proxy_request_line("CONNECT outlook.office365.com:443 HTTP/1.1");
   CHECK(tunnel.kind == Kind::tunnel);
   CHECK(tunnel.host == "outlook.office365.com");
   CHECK(tunnel.port == 443);
   const ProxyRequestLine v6 = read_proxy_request_line("CONNECT [2001:db8::1]:8443 HTTP/1.1");
   CHECK(v6.kind == Kind::tunnel);
   CHECK(v6.host == "2001:db8::1");
   CHECK(v6.port == 8443);
   const ProxyRequestLine forward =
       read_proxy_request_line("GET http://autodiscover.contoso.com/autodiscover/autodiscover.xml HTTP/1.1");
   CHECK(forward.kind == Kind::forward);
   CHECK(forward.host == "autodiscover.contoso.com");
   CHECK(forward.port == 80);
   CHECK(forward.path == "/autodiscover/autodiscover.xml");
   CHECK(read_proxy_request_line("GET http://host:8080 HTTP/1.1").path == "/");
   CHECK(read_proxy_request_line("GET /local HTTP/1.1").kind == Kind::not_allowed);
   for (const char *bad :
        {"CONNECT host HTTP/1.1", "CONNECT host:0 HTTP/1.1", "CONNECT host:65536 HTTP/1.1",
         "CONNECT :443 HTTP/1.1", "CONNECT host:44x HTTP/1.1", "CONNECT", "GET http://:80/ HTTP/1.1"}) {
      CAPTURE(bad);
      CHECK(read_proxy_request_line(bad).kind == Kind::malformed);
   }
}

TEST_CASE("the SOCKS5 bridge listens on loopback only and takes only its own client's requests") {
   ProxyBridge bridge(socks_proxy_that_is_down(), std::chrono::seconds(5));
   CHECK(bridge.url().rfind("http://127.0.0.1:", 0) == 0);
   CHECK(bridge.password().size() >= 32);

   Client anyone(bridge);
   anyone.send("CONNECT mail.example.com:443 HTTP/1.1\r\nHost: mail.example.com:443\r\n\r\n");
   CHECK(anyone.read_all().rfind("HTTP/1.1 407 ", 0) == 0);

   Client guessing(bridge);
   guessing.send("CONNECT mail.example.com:443 HTTP/1.1\r\nProxy-Authorization: Basic cnBhOnJwYQ==\r\n\r\n");
   CHECK(guessing.read_all().rfind("HTTP/1.1 407 ", 0) == 0);

   Client other_method(bridge);
   other_method.send("GET /index.html HTTP/1.1\r\n" + authorization(bridge) + "\r\n");
   CHECK(other_method.read_all().rfind("HTTP/1.1 405 ", 0) == 0);

   Client bad_target(bridge);
   bad_target.send("CONNECT mail.example.com:99999 HTTP/1.1\r\n" + authorization(bridge) + "\r\n");
   CHECK(bad_target.read_all().rfind("HTTP/1.1 400 ", 0) == 0);

   Client flood(bridge);
   flood.send("CONNECT mail.example.com:443 HTTP/1.1\r\n");
   const std::string header = "X-Filler: " + std::string(1000, 'a') + "\r\n";
   for (int i = 0; i < 17; ++i) flood.send(header);  // just past kMaxHeadBytes, all of it read
   CHECK(flood.read_all().rfind("HTTP/1.1 431 ", 0) == 0);
}

TEST_CASE("the SOCKS5 bridge keeps why a tunnel failed - once - for the request that asked") {
   ProxyBridge bridge(socks_proxy_that_is_down(), std::chrono::seconds(5));
   Client library(bridge);
   library.send("CONNECT mail.example.com:443 HTTP/1.1\r\n" + authorization(bridge) + "\r\n");
   CHECK(library.read_all().rfind("HTTP/1.1 502 ", 0) == 0);
   CHECK_FALSE(bridge.take_failure("other.example.com", 443).has_value());
   const std::optional<Failure> failure = bridge.take_failure("mail.example.com", 443);
   REQUIRE(failure.has_value());
   CHECK(failure->status() == RPA_CONNECTION_FAILED);
   CHECK(std::string(failure->what()).find("socks5h://127.0.0.1:9 cannot be reached") != std::string::npos);
   CHECK_FALSE(bridge.take_failure("mail.example.com", 443).has_value());
}

TEST_CASE("the SOCKS5 bridge lets go of a silent client and of idle connections when it goes") {
   const auto started = std::chrono::steady_clock::now();
   {
      auto bridge = std::make_unique<ProxyBridge>(socks_proxy_that_is_down(), std::chrono::seconds(60));
      Client silent(*bridge);  // sends nothing: the tunnel thread waits for a head
      Client half(*bridge);    // a head that never ends
      half.send("CONNECT mail.example.com:443 HTTP/1.1\r\n");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      bridge.reset();                    // must not wait for the 60 s timeout
      CHECK(silent.read_all().empty());  // closed, nothing said
   }
   CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}
