// KDC exchange: one Kerberos message to a realm's KDC and its reply, through the plugin's own
// network code, so every wait of a Windows sign-in obeys the call's timeout_seconds and the host's
// cancellation (net/call_context.h) like the rest. libkrb5 would wait on its own terms (its
// kdc_timeout and max_retries, DNS through the blocking system resolver) and cannot be cancelled;
// windows_sign_in/kerberos_tickets.h hands its messages here instead (krb5_set_kdc_send_hook).
//
// Where the KDCs are, as MIT finds them: the `kdc` lines of the realm in krb5.conf
// ([realms] REALM = { kdc = host[:port] }, also "tcp/host:port" and "[v6]:port"), else, unless
// dns_lookup_kdc = false, DNS SRV `_kerberos._tcp.REALM` (Active Directory publishes it) through
// the plugin's resolver. Kerberos over TCP (RFC 4120 7.2.2: a 4-byte length, then the message),
// which every Active Directory and MIT KDC serves; UDP-only KDCs and KDC proxies (https:// kdc
// lines, MS-KKDCP) are not reached, and the error says so.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/call_context.h"
#include "util/failure.h"

namespace email {

struct KdcAddress {
   std::string host;
   std::uint16_t port = 88;
};

// No KDC of the realm could be found or reached: authentication_failed, where Windows' Negotiate
// would fall back to NTLM. The message completes "no domain controller (KDC) could be reached: "
// ("none of the realm R answered: kdc1:88: connection refused; ..."). A timeout or cancellation
// is not this: it is thrown as the call's own Failure.
class KdcUnreachable : public Failure {
 public:
   explicit KdcUnreachable(const std::string &message) : Failure(RPA_AUTHENTICATION_FAILED, message) {}
};

// One `kdc` value of krb5.conf: "host", "host:port", "tcp/host:port", "[::1]:88"; nullopt for what
// is not reached over TCP here ("udp/...", "http(s)://..." KDC proxies) or does not parse (pure;
// fuzzed in ews_soap).
std::optional<KdcAddress> parse_kdc_address(const std::string &value);

// The length of a KDC's TCP reply from its 4-byte prefix, or nullopt when it is not acceptable:
// the high bit set (RFC 4120 reserves it for extensions) or more than `limit` bytes (pure).
std::optional<std::uint32_t> kdc_reply_length(const unsigned char prefix[4], std::uint32_t limit);

// The KDCs of `realm` in the order to try them: `configured` (the realm's kdc lines) when there
// are any, else the SRV records of _kerberos._tcp.<realm> when `dns_lookup` is on. Throws
// KdcUnreachable when there are none, and timeout/cancelled through `context`.
std::vector<KdcAddress> locate_kdcs(const std::string &realm, const std::vector<std::string> &configured,
                                    bool dns_lookup, CallContext &context);

// Sends `message` to the first of `kdcs` that takes a TCP connection and answers, each getting
// an equal share of the time left but at most 5 s (the last one: all of it); returns the reply. Throws KdcUnreachable naming every KDC
// tried and why, and timeout/cancelled when the call's own time is up or the host cancels.
std::string exchange_with_kdc(const std::string &realm, const std::vector<KdcAddress> &kdcs,
                              const std::string &message, CallContext &context);

}  // namespace email
