// The pure parts of the Windows sign-in (gss/windows_sign_in.h): reading the server's challenges,
// and the Kerberos names made from what a bot designer types. The sign-in itself is tested against
// a real KDC in tests/integration/test_windows_sign_in.cpp.
#include <doctest/doctest.h>

#include "gss/windows_sign_in.h"

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

TEST_CASE("Kerberos names from what the designer types") {
   CHECK(kerberos_principal("CONTOSO\\alice") == "alice@CONTOSO");
   CHECK(kerberos_principal("alice@CONTOSO.COM") == "alice@CONTOSO.COM");
   CHECK(kerberos_principal("alice") == "alice");
   CHECK(gss_service_name("", "mail.contoso.com") == "HTTP@mail.contoso.com");
   CHECK(gss_service_name("HTTP/exch01.contoso.com", "mail.contoso.com") == "HTTP@exch01.contoso.com");
   CHECK(gss_service_name("HTTP/exch01.contoso.com:443", "x") == "HTTP@exch01.contoso.com");
   CHECK(gss_service_name("HTTP@exch01", "x") == "HTTP@exch01");
}
