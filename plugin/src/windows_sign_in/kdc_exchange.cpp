#include "windows_sign_in/kdc_exchange.h"

#include <algorithm>
#include <charconv>

#include "net/resolver.h"
#include "net/server_endpoint.h"
#include "net/transport.h"

namespace email {

namespace {

// A reply larger than this is not a KDC's (tickets with large PACs are tens of KiB).
constexpr std::uint32_t kMaxReplyBytes = 1024 * 1024;
// The longest a KDC that is not the last one to try is waited for.
constexpr std::chrono::milliseconds kKdcWait{5000};

std::optional<std::uint16_t> parse_port(const std::string &text) {
   unsigned value = 0;
   const char *end = text.data() + text.size();
   auto [stop, error] = std::from_chars(text.data(), end, value);
   if (error != std::errc() || stop != end || value == 0 || value > 65535) return std::nullopt;
   return static_cast<std::uint16_t>(value);
}

std::string joined(const std::vector<std::string> &parts) {
   std::string text;
   for (const std::string &part : parts) text += (text.empty() ? "" : "; ") + part;
   return text;
}

}  // namespace

std::optional<KdcAddress> parse_kdc_address(const std::string &value) {
   std::string rest = value;
   if (rest.rfind("tcp/", 0) == 0) rest.erase(0, 4);
   if (rest.empty() || rest.rfind("udp/", 0) == 0 || rest.find("://") != std::string::npos)
      return std::nullopt;
   KdcAddress address;
   if (rest.front() == '[') {  // [v6]:port
      const std::size_t close = rest.find(']');
      if (close == std::string::npos || close == 1) return std::nullopt;
      address.host = rest.substr(1, close - 1);
      rest.erase(0, close + 1);
      if (rest.empty()) return address;
      if (rest.front() != ':') return std::nullopt;
      auto port = parse_port(rest.substr(1));
      if (!port) return std::nullopt;
      address.port = *port;
      return address;
   }
   const std::size_t colon = rest.find(':');
   if (colon != std::string::npos && rest.find(':', colon + 1) != std::string::npos) {
      address.host = rest;  // a bare IPv6 address
      return address;
   }
   address.host = rest.substr(0, colon);
   if (address.host.empty() || address.host.find_first_of(" /\t") != std::string::npos) return std::nullopt;
   if (colon != std::string::npos) {
      auto port = parse_port(rest.substr(colon + 1));
      if (!port) return std::nullopt;
      address.port = *port;
   }
   return address;
}

std::optional<std::uint32_t> kdc_reply_length(const unsigned char prefix[4], std::uint32_t limit) {
   const std::uint32_t length = (std::uint32_t(prefix[0]) << 24) | (std::uint32_t(prefix[1]) << 16) |
                                (std::uint32_t(prefix[2]) << 8) | std::uint32_t(prefix[3]);
   if ((length & 0x80000000u) != 0 || length > limit) return std::nullopt;
   return length;
}

std::vector<KdcAddress> locate_kdcs(const std::string &realm, const std::vector<std::string> &configured,
                                    bool dns_lookup, CallContext &context) {
   std::vector<KdcAddress> kdcs;
   std::vector<std::string> skipped;
   for (const std::string &value : configured) {
      if (auto address = parse_kdc_address(value))
         kdcs.push_back(*address);
      else
         skipped.push_back("\"" + value + "\"");
   }
   if (!kdcs.empty()) return kdcs;
   std::string why;
   if (!configured.empty()) {
      why =
          "krb5.conf names only KDCs this plugin does not reach (Kerberos over TCP only; no UDP, no KDC "
          "proxy): " +
          joined(skipped);
   } else if (!dns_lookup) {
      why = "krb5.conf names no kdc for the realm and dns_lookup_kdc is false";
   } else {
      for (const SrvRecord &record : resolve_srv("_kerberos._tcp." + realm, context))
         kdcs.push_back({record.target, record.port});
      if (!kdcs.empty()) return kdcs;
      why = "krb5.conf names no kdc for the realm and DNS has no SRV record _kerberos._tcp." + realm;
   }
   throw KdcUnreachable("none of the realm " + realm + " was found: " + why);
}

std::string exchange_with_kdc(const std::string &realm, const std::vector<KdcAddress> &kdcs,
                              const std::string &message, CallContext &context) {
   std::string framed(4, '\0');
   const auto size = static_cast<std::uint32_t>(message.size());
   for (int i = 0; i < 4; ++i) framed[i] = static_cast<char>((size >> (24 - 8 * i)) & 0xff);
   framed += message;
   std::vector<std::string> tried;
   for (std::size_t i = 0; i < kdcs.size(); ++i) {
      const std::string label = endpoint_label(kdcs[i].host, kdcs[i].port);
      // This KDC's share of the time left, at most kKdcWait (a KDC answers in milliseconds; one
      // that is silent that long is skipped); the last one gets all of it.
      const bool last = i + 1 == kdcs.size();
      const auto share = context.remaining() / static_cast<long>(kdcs.size() - i);
      CallContext attempt(context, last ? context.remaining() : std::min(share, kKdcWait),
                          "the KDC " + label);
      try {
         auto connection = Transport::connect(kdcs[i].host, kdcs[i].port, attempt);
         connection->write(framed, attempt);
         const std::string prefix = connection->read_exact(4, attempt, "the KDC's reply");
         const auto length =
             kdc_reply_length(reinterpret_cast<const unsigned char *>(prefix.data()), kMaxReplyBytes);
         if (!length) {
            tried.push_back(label + ": not a Kerberos reply (length prefix out of range)");
            continue;
         }
         return connection->read_exact(*length, attempt, "the KDC's reply");
      } catch (const Failure &failure) {
         // The host's cancellation, or the call's own time running out (the last KDC has all that
         // is left), ends the search; an earlier KDC's share running out moves on to the next.
         if (failure.status() == RPA_CANCELLED || (failure.status() == RPA_TIMEOUT && i + 1 == kdcs.size()))
            throw;
         context.next_wait_ms("the KDC", "the KDCs of " + realm);
         tried.push_back(failure.what());
      }
   }
   throw KdcUnreachable("none of the realm " + realm + " answered: " + joined(tried));
}

}  // namespace email
