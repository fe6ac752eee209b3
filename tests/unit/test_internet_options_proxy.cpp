// Windows' Internet Options proxy settings applied to one connection (net/internet_options_proxy.h),
// as WinHTTP applies them. Pure: runs on Linux and, built for Windows, under Wine.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "net/internet_options_proxy.h"

using email::ProxySettings;
using email::proxy_from_internet_options;

TEST_SUITE("proxy") {

TEST_CASE("Internet Options: one proxy for every protocol, or the https= entry of a list") {
   ProxySettings every = proxy_from_internet_options("proxy.contoso.com:8080", "", "mail.contoso.com");
   CHECK(every.kind == ProxySettings::Kind::http);
   CHECK(every.label() == "http://proxy.contoso.com:8080");

   ProxySettings listed = proxy_from_internet_options(
       "http=web:80;https=Secure.Contoso.com:3129;socks=s:1080", "", "outlook.office365.com");
   CHECK(listed.label() == "http://secure.contoso.com:3129");
   // An http= entry alone: WinHTTP sends https direct, and so does the plugin.
   CHECK_FALSE(proxy_from_internet_options("http=web:80", "", "outlook.office365.com").enabled());
   // socks= alone: SOCKS5, names resolved here.
   ProxySettings socks = proxy_from_internet_options("socks=s.contoso.com:1080", "", "imap.contoso.com");
   CHECK(socks.kind == ProxySettings::Kind::socks5);
   CHECK(socks.port == 1080);
   // White space separates entries too; a value may carry its own scheme.
   CHECK(proxy_from_internet_options("ftp=f:21 https=http://h:3128", "", "x.test").label() ==
         "http://h:3128");
}

TEST_CASE("Internet Options: the bypass list - <local>, wildcards, plain names, loopback") {
   const char *bypass = "<local>;*.contoso.com;10.*; mail.fabrikam.com:993 ,https://owa.example";
   auto direct = [&](const std::string &host) {
      return !proxy_from_internet_options("proxy:8080", bypass, host).enabled();
   };
   CHECK(direct("exchange"));           // <local>: no dot
   CHECK(direct("EX01.Contoso.com"));   // *.contoso.com, in any case
   CHECK(direct("10.1.2.3"));           // 10.*
   CHECK(direct("mail.fabrikam.com"));  // its port is ignored
   CHECK(direct("owa.example"));        // its scheme is ignored
   CHECK_FALSE(direct("contoso.com.evil.test"));
   CHECK_FALSE(direct("outlook.office365.com"));
   CHECK(direct("localhost"));  // loopback goes direct, as on Windows 8 and later...
   CHECK(direct("127.0.0.1"));
   CHECK(proxy_from_internet_options("proxy:8080", "<-loopback>", "localhost").enabled());  // ...unless asked
}

TEST_CASE("Internet Options: a proxy entry that is not host:port is a clear error naming it") {
   CHECK_THROWS_WITH_AS(proxy_from_internet_options("https=proxy:99999", "", "x.test"),
                        doctest::Contains("proxy:99999"), std::invalid_argument);
   CHECK_THROWS_WITH_AS(proxy_from_internet_options("ftp://proxy:21", "", "x.test"),
                        doctest::Contains("is not http, socks5 or socks5h"), std::invalid_argument);
   CHECK_FALSE(proxy_from_internet_options("", "", "x.test").enabled());
}

}  // TEST_SUITE("proxy")
