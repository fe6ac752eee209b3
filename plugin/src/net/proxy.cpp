#include "net/proxy.h"

#include "util/authorization.h"

#include <cctype>
#include <cstdlib>
#include <stdexcept>

#include "net/resolver.h"
#include "net/system_proxy.h"
#include "net/transport.h"
#include "util/environment.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

constexpr std::size_t kMaxProxyHeaderLines = 100;

std::string percent_decode(std::string_view text) {
   std::string out;
   for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
         const std::string hex(text.substr(i + 1, 2));
         if (std::isxdigit(static_cast<unsigned char>(hex[0])) &&
             std::isxdigit(static_cast<unsigned char>(hex[1]))) {
            out += static_cast<char>(std::stoi(hex, nullptr, 16));
            i += 2;
            continue;
         }
      }
      out += text[i];
   }
   return out;
}

// "host", "host." or a parent domain of it listed in no_proxy ("*" matches everything).
bool excluded_by_no_proxy(const std::string &host, const char *no_proxy) {
   if (!no_proxy) return false;
   const std::string list = no_proxy;
   for (std::size_t start = 0; start <= list.size();) {
      std::size_t end = list.find(',', start);
      if (end == std::string::npos) end = list.size();
      std::string entry = to_lower_ascii(list.substr(start, end - start));
      entry.erase(0, entry.find_first_not_of(" \t"));
      entry.erase(entry.find_last_not_of(" \t") + 1);
      if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
      if (entry == "*") return true;
      if (!entry.empty() &&
          (host == entry || (host.size() > entry.size() &&
                             host.compare(host.size() - entry.size(), entry.size(), entry) == 0 &&
                             host[host.size() - entry.size() - 1] == '.')))
         return true;
      start = end + 1;
   }
   return false;
}

[[noreturn]] void unreachable(const ProxySettings &proxy, const std::string &what) {
   throw Failure(RPA_CONNECTION_FAILED, "the proxy " + proxy.label() + " " + what);
}

// --- HTTP CONNECT
void http_connect(const ProxySettings &proxy, Transport &tunnel, const std::string &target,
                  CallContext &context) {
   SecretString request;
   request.append("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n");
   request.append(proxy_authorization_header(proxy).view());
   request.append("\r\n");
   tunnel.write(request.view(), context);
   const std::string status_line = tunnel.read_line(context, "the proxy's answer to CONNECT");
   // "HTTP/1.1 200 Connection established"
   const std::size_t space = status_line.find(' ');
   int status = 0;
   if (status_line.rfind("HTTP/1.", 0) == 0 && space != std::string::npos && status_line.size() >= space + 4)
      status = std::atoi(status_line.substr(space + 1, 3).c_str());
   if (status == 0)
      unreachable(proxy,
                  "did not answer CONNECT like an HTTP proxy: \"" + printable(status_line, 100) + "\"");
   for (std::size_t lines = 0;; ++lines) {
      if (lines == kMaxProxyHeaderLines) unreachable(proxy, "sent too many header lines");
      if (tunnel.read_line(context, "the proxy's answer to CONNECT").empty()) break;
   }
   const std::string said = printable(status_line.substr(space + 1), 120);
   // 407 is the standard answer (RFC 9110 15.5.8); tinyproxy 1.11 answers CONNECT with 401. Either
   // comes from the proxy itself: no tunnel exists yet.
   if (status == 407 || status == 401) throw proxy_refused_credentials(proxy, said);
   if (status == 403) unreachable(proxy, "refused to connect to " + target + " (" + said + ")");
   if (status < 200 || status > 299) unreachable(proxy, "could not connect to " + target + " (" + said + ")");
}

// --- SOCKS5
std::string read_bytes(Transport &tunnel, std::size_t size, CallContext &context) {
   return tunnel.read_exact(size, context, "the SOCKS5 proxy's answer");
}

const char *socks_reply_text(unsigned char code) {
   switch (code) {  // RFC 1928 section 6
   case 1: return "general SOCKS server failure";
   case 2: return "connection not allowed by ruleset";
   case 3: return "network unreachable";
   case 4: return "host unreachable";
   case 5: return "connection refused";
   case 6: return "TTL expired";
   case 7: return "command not supported";
   case 8: return "address type not supported";
   default: return "unknown error";
   }
}

void socks5_connect(const ProxySettings &proxy, Transport &tunnel, const std::string &host,
                    std::uint16_t port, CallContext &context) {
   const bool credentials = !proxy.username.empty();
   if (credentials && (proxy.username.size() > 255 || proxy.password.size() > 255))
      throw Failure(
          RPA_INVALID_PROPERTIES,
          "invalid properties: proxy_username and proxy_password may have at most 255 bytes each (RFC 1929)");
   tunnel.write(credentials ? std::string("\x05\x02\x00\x02", 4) : std::string("\x05\x01\x00", 3), context);
   const std::string choice = read_bytes(tunnel, 2, context);
   if (choice[0] != 5) unreachable(proxy, "does not speak SOCKS5");
   const auto method = static_cast<unsigned char>(choice[1]);
   if (method == 0xff)
      throw Failure(
          RPA_AUTHENTICATION_FAILED,
          "authentication failed: the SOCKS5 proxy " + proxy.label() +
              (credentials ? " accepts none of the offered sign-in methods"
                           : " requires a username and password; set proxy_username and proxy_password"));
   if (method == 2) {
      if (!credentials) unreachable(proxy, "chose username/password sign-in, which was not offered");
      SecretString login;
      login.append('\x01');
      login.append(static_cast<char>(proxy.username.size()));
      login.append(proxy.username);
      login.append(static_cast<char>(proxy.password.size()));
      login.append(proxy.password.view());
      tunnel.write(login.view(), context);
      const std::string verdict = read_bytes(tunnel, 2, context);
      if (verdict[1] != 0)
         throw Failure(RPA_AUTHENTICATION_FAILED, "authentication failed: the SOCKS5 proxy " + proxy.label() +
                                                      " refused proxy_username and proxy_password");
   } else if (method != 0) {
      unreachable(proxy, "chose a sign-in method that was not offered");
   }

   std::string request("\x05\x01\x00", 3);
   if (proxy.kind == ProxySettings::Kind::socks5h) {
      if (host.size() > 255)
         throw Failure(RPA_INVALID_PROPERTIES, "invalid properties: the host name is too long for SOCKS5");
      request += '\x03';
      request += static_cast<char>(host.size());
      request += host;
   } else {
      const ResolvedAddress address = resolve_host(host, port, context).front();
      if (address.family == AF_INET6) {
         const auto &v6 = reinterpret_cast<const sockaddr_in6 &>(address.address);
         request += '\x04';
         request.append(reinterpret_cast<const char *>(&v6.sin6_addr), 16);
      } else {
         const auto &v4 = reinterpret_cast<const sockaddr_in &>(address.address);
         request += '\x01';
         request.append(reinterpret_cast<const char *>(&v4.sin_addr), 4);
      }
   }
   request += static_cast<char>(port >> 8);
   request += static_cast<char>(port & 0xff);
   tunnel.write(request, context);
   const std::string reply = read_bytes(tunnel, 4, context);
   if (reply[0] != 5) unreachable(proxy, "does not speak SOCKS5");
   const auto code = static_cast<unsigned char>(reply[1]);
   if (code != 0) {
      const std::string why = std::string(socks_reply_text(code)) + ", SOCKS5 reply " + std::to_string(code);
      unreachable(proxy, (code == 2 ? "refused to connect to " : "could not connect to ") +
                             endpoint_label(host, port) + " (" + why + ")");
   }
   const auto type = static_cast<unsigned char>(reply[3]);
   const std::size_t address_size = type == 1   ? 4
                                    : type == 4 ? 16
                                    : type == 3
                                        ? static_cast<unsigned char>(read_bytes(tunnel, 1, context)[0])
                                        : 0;
   if (address_size == 0 && type != 3) unreachable(proxy, "sent an unknown address type");
   read_bytes(tunnel, address_size + 2, context);  // the proxy's bound address and port
}

}  // namespace

std::string ProxySettings::label() const {
   const char *scheme = kind == Kind::http ? "http" : kind == Kind::socks5 ? "socks5" : "socks5h";
   return std::string(scheme) + "://" + endpoint_label(host, port);
}

ProxySettings parse_proxy_url(const std::string &url) {
   ProxySettings proxy;
   const std::size_t scheme_end = url.find("://");
   if (scheme_end == std::string::npos)
      throw std::invalid_argument("needs a scheme: http://, socks5:// or socks5h://");
   const std::string scheme = to_lower_ascii(url.substr(0, scheme_end));
   proxy.kind = scheme == "http"      ? ProxySettings::Kind::http
                : scheme == "socks5"  ? ProxySettings::Kind::socks5
                : scheme == "socks5h" ? ProxySettings::Kind::socks5h
                                      : ProxySettings::Kind::none;
   if (proxy.kind == ProxySettings::Kind::none)
      throw std::invalid_argument("the scheme \"" + printable(scheme, 20) +
                                  "\" is not http, socks5 or socks5h");
   std::string rest = url.substr(scheme_end + 3);
   rest = rest.substr(0, rest.find('/'));
   const std::size_t at = rest.rfind('@');
   if (at != std::string::npos) {
      const std::string userinfo = rest.substr(0, at);
      const std::size_t colon = userinfo.find(':');
      proxy.username = percent_decode(userinfo.substr(0, colon));
      if (colon != std::string::npos)
         proxy.password = SecretString(percent_decode(userinfo.substr(colon + 1)));
      rest = rest.substr(at + 1);
   }
   std::string host = rest;
   std::string port_text;
   if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
      const std::size_t close = rest.find(']');
      if (close == std::string::npos) throw std::invalid_argument("has an unclosed [");
      host = rest.substr(1, close - 1);
      if (close + 1 < rest.size() && rest[close + 1] == ':') port_text = rest.substr(close + 2);
   } else if (const std::size_t colon = rest.rfind(':'); colon != std::string::npos) {
      host = rest.substr(0, colon);
      port_text = rest.substr(colon + 1);
   }
   if (host.empty()) throw std::invalid_argument("names no host");
   proxy.host = to_lower_ascii(host);
   if (port_text.empty()) {
      proxy.port = proxy.kind == ProxySettings::Kind::http ? 80 : 1080;
   } else {
      if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos)
         throw std::invalid_argument("has a port that is not a number");
      const int port = std::atoi(port_text.c_str());
      if (port < 1 || port > 65535) throw std::invalid_argument("has a port outside 1-65535");
      proxy.port = static_cast<std::uint16_t>(port);
   }
   return proxy;
}

ProxySettings proxy_from_environment(const std::string &host) {
   const std::optional<std::string> no_proxy =
       environment_variable("no_proxy") ? environment_variable("no_proxy") : environment_variable("NO_PROXY");
   if (excluded_by_no_proxy(to_lower_ascii(host), no_proxy ? no_proxy->c_str() : nullptr)) return {};
   for (const char *name : {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
      const std::optional<std::string> value = environment_variable(name);
      if (!value || value->empty()) continue;
      try {
         return parse_proxy_url(*value);
      } catch (const std::invalid_argument &error) {
         throw std::invalid_argument(std::string("the environment variable ") + name + " " + error.what());
      }
   }
   return {};
}

ProxySettings proxy_for(const ProxySettings &configured, bool from_environment, const std::string &host,
                        const CallContext &context) {
   if (!from_environment) return configured;
   try {
      ProxySettings found = system_proxy_for(host, context);
      if (found.enabled() && !configured.username.empty()) {  // the bag's credentials win
         found.username = configured.username;
         found.password = configured.password.clone();
      }
      return found;
   } catch (const std::invalid_argument &error) {
      throw Failure(RPA_INVALID_PROPERTIES,
                    std::string("invalid properties: proxy \"system\": ") + error.what());
   }
}

Failure proxy_refused_credentials(const ProxySettings &proxy, const std::string &said) {
   return Failure(RPA_AUTHENTICATION_FAILED,
                  "authentication failed: the proxy " + proxy.label() +
                      (proxy.username.empty() ? " asks for credentials; set proxy_username and proxy_password"
                                              : " refused proxy_username and proxy_password") +
                      " (" + said + ")");
}

SecretString proxy_authorization_header(const ProxySettings &proxy) {
   SecretString header;
   if (proxy.kind != ProxySettings::Kind::http || proxy.username.empty()) return header;
   header.append("Proxy-Authorization: ");
   header.append(basic_authorization(proxy.username, proxy.password.view()).view());
   header.append("\r\n");
   return header;
}

std::unique_ptr<Transport> connect_to_proxy(const ProxySettings &proxy, CallContext &context) {
   try {
      return Transport::connect(proxy.host, proxy.port, context);
   } catch (const Failure &failure) {
      if (failure.status() != RPA_CONNECTION_FAILED) throw;
      unreachable(proxy, std::string("cannot be reached: ") + failure.what());
   }
}

std::unique_ptr<Transport> connect_through(const ProxySettings &proxy, const std::string &host,
                                           std::uint16_t port, CallContext &context) {
   std::unique_ptr<Transport> tunnel = connect_to_proxy(proxy, context);
   if (proxy.kind == ProxySettings::Kind::http)
      http_connect(proxy, *tunnel, endpoint_label(host, port), context);
   else
      socks5_connect(proxy, *tunnel, host, port, context);
   tunnel->retarget(host, port);
   context.host().debug("connected to " + endpoint_label(host, port) + " through the proxy " + proxy.label());
   return tunnel;
}

}  // namespace email
