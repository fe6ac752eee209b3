// resolve_host: DNS through c-ares, so a slow or silent DNS server obeys the call's timeout and
// the host's cancellation like every other wait. (glibc's getaddrinfo blocks, for up to
// timeout x attempts x nameservers, and cannot be cancelled.) Reads /etc/hosts and
// /etc/resolv.conf as the system resolver does; numeric addresses and "localhost" (RFC 6761)
// need no lookup.
//
// c-ares must be initialised (ares_library_init) before the first call: the plugin's init does it.
#pragma once

#include "net/sockets.h"  // sockaddr_storage, socklen_t

#include <cstdint>
#include <string>
#include <vector>

#include "net/call_context.h"

namespace email {

struct ResolvedAddress {
   sockaddr_storage address{};
   socklen_t length = 0;
   int family = AF_UNSPEC;
};

struct SrvRecord {
   std::string target;
   std::uint16_t port = 0;
   std::uint16_t priority = 0;
   std::uint16_t weight = 0;
};

// Every address of `host` for TCP `port`, in the resolver's preferred order. Throws
// Failure(connection_failed) naming the host when it does not resolve, and timeout/cancelled
// through `context`. `nameservers` ("ip:port,...") replaces resolv.conf's servers; so does the
// environment variable RPA_EMAIL_DNS_SERVERS (a runner whose mail DNS differs, and the tests).
std::vector<ResolvedAddress> resolve_host(const std::string &host, std::uint16_t port, CallContext &context,
                                          const std::string &nameservers = "");

// True when `host` is an IPv4 or IPv6 address literal rather than a name (the one check every
// caller uses: DNS skips it, TLS checks the certificate's address instead of a name).
bool is_ip_literal(const std::string &host);

// The SRV records of `name` (e.g. "_autodiscover._tcp.contoso.com"), by priority then weight;
// empty when there are none or the name does not exist. Timeout/cancel through `context`.
std::vector<SrvRecord> resolve_srv(const std::string &name, CallContext &context,
                                   const std::string &nameservers = "");

}  // namespace email
