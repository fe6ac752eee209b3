// DNS through c-ares: /etc/hosts and numeric addresses, and a DNS server that never answers
// (a real UDP socket that reads nothing) ending in timeout or cancellation, not a hang.
#include <ares.h>
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "net/resolver.h"
#include "net/sockets.h"
#include "util/failure.h"

using namespace email;

namespace {

struct CaresLibrary {
   CaresLibrary() { REQUIRE(ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS); }
   ~CaresLibrary() { ares_library_cleanup(); }
};

// A UDP socket on loopback that reads nothing (Boost.Asio's, the same on both systems).
struct SilentDnsServer {
   boost::asio::io_context io;
   boost::asio::ip::udp::socket socket{
       io, boost::asio::ip::udp::endpoint(boost::asio::ip::address_v4::loopback(), 0)};
   std::string csv() const { return "127.0.0.1:" + std::to_string(socket.local_endpoint().port()); }
};

std::string first_ipv4(const std::vector<ResolvedAddress> &addresses) {
   for (const auto &address : addresses)
      if (address.family == AF_INET) {
         char text[INET_ADDRSTRLEN];
         auto *in = reinterpret_cast<const sockaddr_in *>(&address.address);
         inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
         return std::string(text) + ":" + std::to_string(ntohs(in->sin_port));
      }
   return "";
}

rpa_status failure_status(const std::string &host, const std::string &nameservers,
                          const rpa_host_services *services, std::string *message = nullptr) {
   HostServices host_services(services);
   CallContext context(host_services, std::chrono::seconds(1), host);
   try {
      resolve_host(host, 993, context, nameservers);
   } catch (const Failure &failure) {
      if (message) *message = failure.what();
      return failure.status();
   }
   return RPA_OK;
}

}  // namespace

TEST_SUITE("resolver") {

TEST_CASE("numeric addresses and localhost need no DNS server") {
   CaresLibrary library;
   SilentDnsServer silent;  // would time out if asked
   HostServices host(nullptr);
   CallContext context(host, std::chrono::seconds(5), "test");
   CHECK(first_ipv4(resolve_host("127.0.0.1", 993, context, silent.csv())) == "127.0.0.1:993");
   CHECK(first_ipv4(resolve_host("localhost", 110, context, silent.csv())) == "127.0.0.1:110");
   CHECK(first_ipv4(resolve_host("Mail.LOCALHOST", 143, context, silent.csv())) == "127.0.0.1:143");
   CHECK(resolve_host("localhost", 110, context, silent.csv()).size() == 2);  // 127.0.0.1 and ::1
}

TEST_CASE("a DNS server that never answers ends in timeout") {
   CaresLibrary library;
   SilentDnsServer silent;
   std::string message;
   CHECK(failure_status("mail.example.test", silent.csv(), nullptr, &message) == RPA_TIMEOUT);
   CHECK(message.find("the DNS answer for \"mail.example.test\"") != std::string::npos);
}

TEST_CASE("the host's cancellation stops a DNS wait") {
   CaresLibrary library;
   SilentDnsServer silent;
   rpa_host_services services{};
   services.struct_size = sizeof services;
   services.is_cancelled = [](void *) { return 1; };
   CHECK(failure_status("mail.example.test", silent.csv(), &services) == RPA_CANCELLED);
}

}  // TEST_SUITE("resolver")
