// Loopback TCP peers for the cases no real server will act out on request:
//  - SilentServer accepts TCP connections (the kernel completes the handshake) and never says a
//    word: the timeout and cancellation cases.
//  - ScriptedServer answers one connection from a script: a greeting, then for each line it
//    receives the next canned reply, sent in one write (the STARTTLS injection and PREAUTH cases);
//    with `tls`, all of it inside TLS with the Dovecot peer's "localhost" certificate; with a
//    `greeting_delay`, a slow greeter; with `connections` > 1, the same script for each in turn.
//  - TricklingServer never stops talking: it sends `first`, then (at once, or after the client's
//    first line, answered with `answer`) `repeated` every `every`, until the client leaves (the
//    deadline cases).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace test {

class SilentServer {
 public:
   SilentServer();
   ~SilentServer();
   int port() const { return port_; }
   // True once a client's connection waits in the accept queue (within `timeout_ms`).
   bool wait_for_connection(int timeout_ms) const;

 private:
   int fd_ = -1;
   int port_ = 0;
};

class ScriptedServer {
 public:
   ScriptedServer(std::string greeting, std::vector<std::string> replies, bool tls = false,
                  std::chrono::milliseconds greeting_delay = std::chrono::milliseconds(0),
                  int connections = 1);
   // A server whose reply to each line is `respond(line)` (may keep state; "" sends nothing).
   struct Responder {
      explicit Responder(std::function<std::string(const std::string &line)> function)
          : respond(std::move(function)) {}
      std::function<std::string(const std::string &line)> respond;
   };
   ScriptedServer(std::string greeting, Responder responder, bool tls = false);
   // How many connections it accepted (after the script ended).
   int accepted();
   ~ScriptedServer();
   int port() const { return port_; }
   // Lines the client sent, available after the client disconnected (or the script ended).
   std::vector<std::string> received();

 private:
   void serve();
   void serve_one(int client);
   int fd_ = -1;
   int port_ = 0;
   std::string greeting_;
   std::vector<std::string> replies_;
   std::function<std::string(const std::string &)> respond_;
   bool tls_ = false;
   std::chrono::milliseconds greeting_delay_{0};
   int connections_ = 1;
   int accepted_ = 0;
   std::vector<std::string> received_;
   std::atomic<bool> stop_{false};
   std::thread thread_;
};

class TricklingServer {
 public:
   TricklingServer(std::string first, std::string repeated, std::chrono::milliseconds every,
                   bool after_first_line, std::string answer = "");
   ~TricklingServer();
   int port() const { return port_; }
   std::size_t bytes_sent() const { return sent_; }

 private:
   void serve();
   int fd_ = -1;
   int port_ = 0;
   std::string first_, repeated_, answer_;
   std::chrono::milliseconds every_;
   bool after_first_line_;
   std::atomic<bool> stop_{false};
   std::atomic<std::size_t> sent_{0};
   std::thread thread_;
};

}  // namespace test
