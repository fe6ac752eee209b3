// Proxies: the answer of an HTTP CONNECT or SOCKS5 proxy that says anything (the first input byte
// picks http, socks5 or socks5h, with or without credentials), and proxy URLs as the bag and the
// environment give them, and request lines as the SOCKS5 bridge reads them
// (http/proxy_bridge.h). Whatever comes back is a tunnel or a Failure, never a crash or a hang.
#include <stdexcept>

#include "http/proxy_bridge.h"
#include "loopback_peer.h"
#include "net/proxy.h"
#include "net/transport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   if (size == 0) return 0;
   const std::string input = fuzz::text_of(data, size);
   try {
      (void)email::parse_proxy_url(input);
   } catch (const std::invalid_argument &) {}
   const email::ProxyRequestLine request = email::read_proxy_request_line(input);
   if (request.kind == email::ProxyRequestLine::Kind::tunnel && request.port == 0) __builtin_trap();

   static fuzz::LoopbackPeer peer;
   const email::HostServices host(fuzz::quiet_host());
   peer.serve(input.substr(1));
   {
      email::ProxySettings proxy;
      const unsigned choice = static_cast<unsigned char>(input[0]);
      proxy.kind = choice % 3 == 0   ? email::ProxySettings::Kind::http
                   : choice % 3 == 1 ? email::ProxySettings::Kind::socks5h
                                     : email::ProxySettings::Kind::socks5;
      proxy.host = "127.0.0.1";
      proxy.port = peer.port();
      if (choice & 0x80) {
         proxy.username = "user";
         proxy.password = email::SecretString("secret");
      }
      email::CallContext context(host, std::chrono::milliseconds(2000), "fuzz");
      try {
         // socks5 resolves the name here: a literal keeps DNS out of the run.
         auto tunnel = email::connect_through(
             proxy, proxy.kind == email::ProxySettings::Kind::socks5 ? "127.0.0.1" : "mail.example.com", 993,
             context);
         (void)tunnel->host();
      } catch (const email::Failure &) {}
   }
   peer.finish();
   return 0;
}
