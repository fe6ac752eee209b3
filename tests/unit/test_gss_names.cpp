// windows_sign_in/gss_names.h: the plugin's copies of GSSAPI's object identifiers equal MIT
// GSSAPI's own (the unit tests link libgssapi_krb5 as usual; the plugin reaches it lazily and
// cannot use its variables). Linux only.
#include <doctest/doctest.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include <cstring>
#include <string>

#include "windows_sign_in/gss_names.h"

namespace {

std::string bytes_of(gss_const_OID oid) {
   return std::string(static_cast<const char *>(oid->elements), oid->length);
}

}  // namespace

TEST_SUITE("windows sign-in") {

TEST_CASE("the plugin's GSSAPI names are MIT GSSAPI's, byte for byte") {
   CHECK(bytes_of(&email::gss_names::kerberos_mechanism) == bytes_of(gss_mech_krb5));
   CHECK(bytes_of(&email::gss_names::host_based_service) == bytes_of(GSS_C_NT_HOSTBASED_SERVICE));
   CHECK(bytes_of(&email::gss_names::user_name) == bytes_of(GSS_C_NT_USER_NAME));
   CHECK(bytes_of(&email::gss_names::kerberos_principal) == bytes_of(GSS_KRB5_NT_PRINCIPAL_NAME));
   CHECK(email::gss_names::ntlm_mechanism.length == 10);  // gss-ntlmssp's; MIT has no variable for it
}

}  // TEST_SUITE("windows sign-in")
