#include "net/resolver.h"

#include <ares.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "util/environment.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

struct Lookup {
   bool done = false;
   int status = ARES_SUCCESS;
   std::vector<ResolvedAddress> addresses;
};

void on_result(void *arg, int status, int, ares_addrinfo *result) {
   auto *lookup = static_cast<Lookup *>(arg);
   lookup->done = true;
   lookup->status = status;
   if (!result) return;
   for (ares_addrinfo_node *node = result->nodes; node; node = node->ai_next) {
      if (!node->ai_addr || static_cast<std::size_t>(node->ai_addrlen) > sizeof(sockaddr_storage)) continue;
      ResolvedAddress address;
      std::memcpy(&address.address, node->ai_addr, node->ai_addrlen);
      address.length = static_cast<socklen_t>(node->ai_addrlen);
      address.family = node->ai_family;
      lookup->addresses.push_back(address);
   }
   ares_freeaddrinfo(result);
}

using Channel = std::unique_ptr<std::remove_pointer_t<ares_channel>, decltype(&ares_destroy)>;

// A c-ares channel: resolv.conf's servers, or `nameservers`, or RPA_EMAIL_DNS_SERVERS.
Channel make_channel(const std::string &nameservers) {
   ares_channel raw = nullptr;
   ares_options options{};
   options.timeout = 2000;  // per try, in ms; the call's own deadline still bounds the whole
   options.tries = 3;
   int rc = ares_init_options(&raw, &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
   if (rc != ARES_SUCCESS)
      throw Failure(RPA_INTERNAL, std::string("cannot start the DNS resolver: ") + ares_strerror(rc));
   Channel channel(raw, &ares_destroy);
   std::string servers = nameservers;
   if (servers.empty()) servers = environment_variable("RPA_EMAIL_DNS_SERVERS").value_or("");
   if (!servers.empty() && ares_set_servers_ports_csv(raw, servers.c_str()) != ARES_SUCCESS)
      throw Failure(RPA_INVALID_PROPERTIES, "bad DNS server list \"" + printable(servers, 200) +
                                                "\" (RPA_EMAIL_DNS_SERVERS: ip[:port],...)");
   return channel;
}

// Runs `channel` until `*done`, waiting through `context`.
void drive(ares_channel raw, const bool *done, CallContext &context, const std::string &waiting_for) {
   while (!*done) {
      ares_socket_t ares_sockets[ARES_GETSOCK_MAXNUM];
      int bits = ares_getsock(raw, ares_sockets, ARES_GETSOCK_MAXNUM);
      pollfd fds[ARES_GETSOCK_MAXNUM];
      sockets::PollCount count = 0;
      for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
         short events = 0;
         if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
         if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
         if (events) fds[count++] = sockets::poll_entry(static_cast<int>(ares_sockets[i]), events);
      }
      const int budget_ms = context.next_wait_ms(waiting_for.c_str());  // throws when out of time
      timeval max{budget_ms / 1000, (budget_ms % 1000) * 1000}, next{};
      timeval *wait = ares_timeout(raw, &max, &next);
      const int wait_ms = static_cast<int>(wait->tv_sec * 1000 + wait->tv_usec / 1000);
      int ready = sockets::poll(fds, count, wait_ms);
      if (ready <= 0) {
         ares_process_fd(raw, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // lets c-ares retry on timeout
         continue;
      }
      for (sockets::PollCount i = 0; i < count; ++i) {
         if (!fds[i].revents) continue;
         const bool readable = fds[i].revents & (POLLIN | POLLERR | POLLHUP);
         const bool writable = fds[i].revents & POLLOUT;
         const auto fd = static_cast<ares_socket_t>(fds[i].fd);
         ares_process_fd(raw, readable ? fd : ARES_SOCKET_BAD, writable ? fd : ARES_SOCKET_BAD);
      }
   }
}

struct SrvLookup {
   bool done = false;
   int status = ARES_SUCCESS;
   std::vector<SrvRecord> records;
};

void on_srv(void *arg, int status, int, unsigned char *answer, int length) {
   auto *lookup = static_cast<SrvLookup *>(arg);
   lookup->done = true;
   lookup->status = status;
   if (status != ARES_SUCCESS || !answer) return;
   ares_srv_reply *replies = nullptr;
   lookup->status = ares_parse_srv_reply(answer, length, &replies);
   for (ares_srv_reply *reply = replies; reply; reply = reply->next)
      lookup->records.push_back({reply->host, reply->port, reply->priority, reply->weight});
   if (replies) ares_free_data(replies);
}

}  // namespace

// An IPv4 or IPv6 literal, or nullopt.
std::optional<ResolvedAddress> numeric_address(const std::string &host, std::uint16_t port) {
   ResolvedAddress address;
   auto *v4 = reinterpret_cast<sockaddr_in *>(&address.address);
   auto *v6 = reinterpret_cast<sockaddr_in6 *>(&address.address);
   if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
      address.family = AF_INET;
      v4->sin_family = AF_INET;
      v4->sin_port = htons(port);
      address.length = sizeof(sockaddr_in);
      return address;
   }
   if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
      address.family = AF_INET6;
      v6->sin6_family = AF_INET6;
      v6->sin6_port = htons(port);
      address.length = sizeof(sockaddr_in6);
      return address;
   }
   return std::nullopt;
}

bool is_ip_literal(const std::string &host) { return numeric_address(host, 0).has_value(); }

bool is_localhost(const std::string &host) {
   const std::string name = to_lower_ascii(host);
   const std::string suffix = ".localhost";
   return name == "localhost" || name == "localhost." ||
          (name.size() > suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0);
}

std::vector<ResolvedAddress> resolve_host(const std::string &host, std::uint16_t port, CallContext &context,
                                          const std::string &nameservers) {
   if (auto numeric = numeric_address(host, port)) return {*numeric};
   // RFC 6761 6.3: "localhost" is always the loopback address, whatever /etc/hosts or DNS say.
   if (is_localhost(host)) return {*numeric_address("127.0.0.1", port), *numeric_address("::1", port)};
   Lookup lookup;  // outlives the channel: ares_destroy still calls back
   Channel channel = make_channel(nameservers);
   ares_addrinfo_hints hints{};
   hints.ai_family = AF_UNSPEC;
   hints.ai_socktype = SOCK_STREAM;
   hints.ai_flags = ARES_AI_NUMERICSERV;
   const std::string service = std::to_string(port);
   ares_getaddrinfo(channel.get(), host.c_str(), service.c_str(), &hints, &on_result, &lookup);
   drive(channel.get(), &lookup.done, context, "the DNS answer for \"" + host + "\"");
   if (lookup.status != ARES_SUCCESS || lookup.addresses.empty())
      throw Failure(RPA_CONNECTION_FAILED,
                    "cannot find host \"" + host + "\": " +
                        (lookup.status == ARES_SUCCESS ? "it has no address" : ares_strerror(lookup.status)));
   return lookup.addresses;
}

std::vector<SrvRecord> resolve_srv(const std::string &name, CallContext &context,
                                   const std::string &nameservers) {
   SrvLookup lookup;  // outlives the channel
   Channel channel = make_channel(nameservers);
   ares_query(channel.get(), name.c_str(), 1 /* C_IN */, 33 /* T_SRV */, &on_srv, &lookup);
   drive(channel.get(), &lookup.done, context, "the DNS SRV answer for \"" + name + "\"");
   std::sort(lookup.records.begin(), lookup.records.end(), [](const SrvRecord &a, const SrvRecord &b) {
      return a.priority != b.priority ? a.priority < b.priority : a.weight > b.weight;
   });
   return lookup.records;
}

}  // namespace email
