// DelayProxy: a TCP forwarder on loopback that holds every byte for a fixed one-way delay in each
// direction, so that a benchmark sees the round trips a distant server would cost.
//
//   bench::DelayProxy proxy(target_port, std::chrono::milliseconds(50));
//   // connect to 127.0.0.1:proxy.port() instead of target_port: every round trip now costs
//   // 100 ms more, and a client's wall time shows how many it waits for.
//
// Each accepted connection gets one upstream connection to 127.0.0.1:target_port and two
// directions; each direction reads what arrives, stamps it, and a writer of its own sends it on
// once its delay has passed (in order, so bytes keep their order and a burst stays a burst: the
// delay is latency, not a bandwidth limit). A side that closes is passed on after the delay.
// Threads are joined and sockets closed when the proxy goes. Linux only, as the benchmarks are.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace bench {

class DelayProxy {
 public:
   DelayProxy(std::uint16_t target_port, std::chrono::milliseconds delay)
       : target_port_(target_port), delay_(delay) {
      listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
      const int on = 1;
      ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
      sockaddr_in address = loopback(0);
      socklen_t length = sizeof address;
      if (::bind(listener_, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
          ::listen(listener_, 16) != 0 ||
          ::getsockname(listener_, reinterpret_cast<sockaddr *>(&address), &length) != 0)
         return;
      port_ = ntohs(address.sin_port);
      acceptor_ = std::thread([this] { accept_loop(); });
   }
   ~DelayProxy() {
      stop_ = true;
      if (acceptor_.joinable()) acceptor_.join();
      ::close(listener_);
      for (auto &link : links_) link->join();
   }
   DelayProxy(const DelayProxy &) = delete;
   DelayProxy &operator=(const DelayProxy &) = delete;

   // The port to connect to instead of the target's; 0 when the proxy could not listen.
   std::uint16_t port() const { return port_; }

 private:
   using Clock = std::chrono::steady_clock;

   static sockaddr_in loopback(std::uint16_t port) {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(port);
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      return address;
   }

   // One direction: from `in` to `out`, every chunk `delay` late.
   class Direction {
    public:
      // Nothing read before `not_before` leaves before `not_before` + `delay`.
      Direction(int in, int out, std::chrono::milliseconds delay, Clock::time_point not_before,
                const std::atomic<bool> &stop)
          : in_(in), out_(out), delay_(delay), not_before_(not_before), stop_(stop) {
         reader_ = std::thread([this] { read_loop(); });
         writer_ = std::thread([this] { write_loop(); });
      }
      void join() {
         reader_.join();
         writer_.join();
      }

    private:
      struct Chunk {
         Clock::time_point due;
         std::string bytes;  // empty: the sending side closed
      };
      void push(std::string bytes) {
         std::lock_guard<std::mutex> lock(mutex_);
         queue_.push_back({std::max(Clock::now(), not_before_) + delay_, std::move(bytes)});
         ready_.notify_one();
      }
      void read_loop() {
         char buffer[65536];
         for (;;) {
            pollfd poll_in{in_, POLLIN, 0};
            const int ready = ::poll(&poll_in, 1, 100);
            if (stop_) break;
            if (ready <= 0) continue;
            const ssize_t got = ::recv(in_, buffer, sizeof buffer, 0);
            if (got <= 0) break;
            push(std::string(buffer, static_cast<std::size_t>(got)));
         }
         push({});
      }
      void write_loop() {
         std::unique_lock<std::mutex> lock(mutex_);
         for (;;) {
            ready_.wait(lock, [&] { return !queue_.empty(); });
            Chunk chunk = std::move(queue_.front());
            queue_.pop_front();
            lock.unlock();
            std::this_thread::sleep_until(chunk.due);
            if (chunk.bytes.empty()) {
               ::shutdown(out_, SHUT_WR);
               return;
            }
            for (std::size_t sent = 0; sent < chunk.bytes.size();) {
               const ssize_t wrote =
                   ::send(out_, chunk.bytes.data() + sent, chunk.bytes.size() - sent, MSG_NOSIGNAL);
               if (wrote <= 0) break;
               sent += static_cast<std::size_t>(wrote);
            }
            lock.lock();
         }
      }

      int in_, out_;
      std::chrono::milliseconds delay_;
      Clock::time_point not_before_;
      const std::atomic<bool> &stop_;
      std::mutex mutex_;
      std::condition_variable ready_;
      std::deque<Chunk> queue_;
      std::thread reader_, writer_;
   };

   // A client's connection and its upstream twin.
   class Link {
    public:
      // The connection's own set-up costs a round trip too: a distant client's first bytes leave
      // once the SYN's answer is back (2 delays), and the server's first bytes leave once its SYN
      // arrived (1 delay).
      Link(int client, int server, std::chrono::milliseconds delay, const std::atomic<bool> &stop)
          : client_(client),
            server_(server),
            up_(client, server, delay, Clock::now() + 2 * delay, stop),
            down_(server, client, delay, Clock::now() + delay, stop) {}
      void join() {
         up_.join();
         down_.join();
         ::close(client_);
         ::close(server_);
      }

    private:
      int client_, server_;
      Direction up_, down_;
   };

   void accept_loop() {
      while (!stop_) {
         pollfd poll_in{listener_, POLLIN, 0};
         if (::poll(&poll_in, 1, 100) <= 0) continue;
         const int client = ::accept(listener_, nullptr, nullptr);
         if (client < 0) continue;
         const int server = ::socket(AF_INET, SOCK_STREAM, 0);
         sockaddr_in target = loopback(target_port_);
         if (::connect(server, reinterpret_cast<sockaddr *>(&target), sizeof target) != 0) {
            ::close(server);
            ::close(client);
            continue;
         }
         const int on = 1;
         ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
         ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
         links_.push_back(std::make_unique<Link>(client, server, delay_, stop_));
      }
   }

   std::uint16_t target_port_;
   std::chrono::milliseconds delay_;
   int listener_ = -1;
   std::uint16_t port_ = 0;
   std::atomic<bool> stop_{false};
   std::list<std::unique_ptr<Link>>
       links_;  // touched by the acceptor, then by the destructor once it is joined
   std::thread acceptor_;
};

}  // namespace bench
