// The pure parts of the Windows sign-in (http/www_authenticate.h, windows_sign_in/kdc_exchange.h,
// windows_sign_in/windows_sign_in.h): reading the
// server's challenges, the Kerberos names made from what a bot designer types, krb5.conf's kdc
// values and a KDC reply's length. The sign-in itself is tested against
// a real KDC in tests/integration/test_windows_sign_in.cpp.
#include <doctest/doctest.h>

#include "http/www_authenticate.h"
#include "windows_sign_in/kdc_exchange.h"
#include "windows_sign_in/windows_sign_in.h"

using namespace email;

TEST_CASE("the token of a scheme among WWW-Authenticate challenges") {
   CHECK(authentication_token("Negotiate oRQwEqADCgEAoQsGCSqGSIb3EgECAg==", "Negotiate") ==
         "oRQwEqADCgEAoQsGCSqGSIb3EgECAg==");
   CHECK(authentication_token("NTLM TlRMTVNTUAACAAAA, Basic realm=\"x\"", "NTLM") == "TlRMTVNTUAACAAAA");
   CHECK(authentication_token("Basic realm=\"x\", Negotiate abc=", "Negotiate") == "abc=");
   CHECK(authentication_token("Negotiate", "Negotiate").empty());  // a bare offer
   CHECK(authentication_token("Negotiate, NTLM", "NTLM").empty());
   CHECK(authentication_token("XNegotiate abc", "Negotiate").empty());  // not a scheme of its own
   CHECK(
       authentication_token("Basic realm=\"Negotiate abc\"", "Negotiate").empty());  // inside a quoted value
   CHECK(authentication_token("", "NTLM").empty());
}

TEST_CASE("whether a server offers a scheme") {
   CHECK(offers_scheme("NTLM, Basic realm=\"x\"", "NTLM"));
   CHECK(offers_scheme("Negotiate oRQwEq==", "Negotiate"));
   CHECK(offers_scheme("Basic realm=\"x\", Negotiate", "Negotiate"));
   CHECK_FALSE(offers_scheme("NTLM, Basic realm=\"x\"", "Negotiate"));
   CHECK_FALSE(offers_scheme("XNTLM", "NTLM"));
   CHECK_FALSE(offers_scheme("NTLMv2", "NTLM"));
   CHECK_FALSE(offers_scheme("", "NTLM"));
}

TEST_CASE("Kerberos names from what the designer types") {
   CHECK(kerberos_principal("CONTOSO\\alice") == "alice@CONTOSO");
   CHECK(kerberos_principal("contoso\\alice") == "alice@CONTOSO");  // realms are the domain in capitals
   CHECK(kerberos_principal("alice@CONTOSO.COM") == "alice@CONTOSO.COM");
   CHECK(kerberos_principal("Alice@contoso.com") == "Alice@CONTOSO.COM");
   CHECK(kerberos_principal("alice") == "alice");
   CHECK(gss_service_name("", "mail.contoso.com") == "HTTP@mail.contoso.com");
   CHECK(gss_service_name("HTTP/exch01.contoso.com", "mail.contoso.com") == "HTTP@exch01.contoso.com");
   CHECK(gss_service_name("HTTP/exch01.contoso.com:443", "x") == "HTTP@exch01.contoso.com");
   CHECK(gss_service_name("HTTP@exch01", "x") == "HTTP@exch01");
   CHECK(gss_service_name("HTTP/exch01.contoso.com@CONTOSO.COM", "x") == "HTTP@exch01.contoso.com");
   CHECK(spn_realm("HTTP/exch01.contoso.com@CONTOSO.COM") == "CONTOSO.COM");
   CHECK(spn_realm("HTTP/exch01.contoso.com").empty());
   CHECK(spn_realm("HTTP@exch01").empty());  // the host-based form names no realm
}

TEST_CASE("krb5.conf kdc values the plugin reaches over TCP") {
   auto kdc = [](const std::string &value) {
      auto address = parse_kdc_address(value);
      return address ? address->host + "|" + std::to_string(address->port) : std::string("none");
   };
   CHECK(kdc("dc1.contoso.com") == "dc1.contoso.com|88");
   CHECK(kdc("dc1.contoso.com:750") == "dc1.contoso.com|750");
   CHECK(kdc("tcp/dc1.contoso.com:88") == "dc1.contoso.com|88");
   CHECK(kdc("[2001:db8::1]:8888") == "2001:db8::1|8888");
   CHECK(kdc("[::1]") == "::1|88");
   CHECK(kdc("2001:db8::1") == "2001:db8::1|88");
   CHECK(kdc("udp/dc1.contoso.com") == "none");                    // UDP only
   CHECK(kdc("https://kdcproxy.contoso.com/KdcProxy") == "none");  // MS-KKDCP
   CHECK(kdc("dc1:0") == "none");
   CHECK(kdc("dc1:70000") == "none");
   CHECK(kdc("dc1:88x") == "none");
   CHECK(kdc("[::1") == "none");
   CHECK(kdc("") == "none");
   CHECK(kdc("tcp/") == "none");
}

TEST_CASE("a KDC reply's length prefix") {
   const unsigned char small[4] = {0, 0, 0x01, 0x02};
   CHECK(kdc_reply_length(small, 1024) == 258u);
   const unsigned char too_big[4] = {0, 0, 0x04, 0x01};
   CHECK_FALSE(kdc_reply_length(too_big, 1024).has_value());
   const unsigned char reserved[4] = {0x80, 0, 0, 0x10};  // RFC 4120 7.2.2: the high bit is reserved
   CHECK_FALSE(kdc_reply_length(reserved, 0xffffffffu).has_value());
}
