// HostileServer: a loopback HTTPS peer that misbehaves on purpose, for the HTTP waits (EWS, token
// endpoint, Autodiscover) no real server acts out on request. It listens on 127.0.0.1 and ::1
// (so "localhost" reaches it whichever address a client tries first) and treats every
// connection the same way until it is destroyed:
//  - silent:              accepts TCP and never says a word
//  - close_in_handshake:  reads the TLS ClientHello, then closes
//  - headers_then_stall:  completes TLS with the peer's "localhost" certificate, reads the
//                         request, sends a status line and headers promising a body, then stops
//  - reset:               accepts and resets the connection (RST, SO_LINGER 0)
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test {

enum class Misbehaviour { silent, close_in_handshake, headers_then_stall, reset };
const char *to_string(Misbehaviour misbehaviour);

class HostileServer {
 public:
   // `port` 0: any free port.
   explicit HostileServer(Misbehaviour misbehaviour, int port = 0);
   ~HostileServer();  // closes every connection, then joins
   HostileServer(const HostileServer &) = delete;
   HostileServer &operator=(const HostileServer &) = delete;

   int port() const { return port_; }
   std::string url(const std::string &path) const {
      return "https://localhost:" + std::to_string(port_) + path;
   }
   int connections() const { return connections_; }

 private:
   void serve();
   void handle(int client);

   Misbehaviour misbehaviour_;
   int port_ = 0;
   std::vector<int> listeners_;
   std::atomic<bool> stop_{false};
   std::atomic<int> connections_{0};
   std::mutex mutex_;
   std::vector<int> open_clients_;
   std::vector<std::thread> workers_;
   std::thread thread_;
};

}  // namespace test
