// GSSAPI's object identifiers the Windows sign-in passes, by value (Linux; MIT GSSAPI).
//
// libgssapi_krb5 exports them as variables (GSS_C_NT_HOSTBASED_SERVICE, gss_mech_krb5, ...), which
// the plugin cannot reach through its lazy Kerberos stubs, since a stub is a function
// (util/lazy_library.h). GSSAPI compares OIDs by value, so these copies serve; a unit test checks
// each against the library's own.
#pragma once

#include <gssapi/gssapi.h>

namespace email::gss_names {

// 1.2.840.113554.1.2.2: the Kerberos V5 mechanism (RFC 1964 1.1).
inline gss_OID_desc kerberos_mechanism = {9, const_cast<char *>("\x2a\x86\x48\x86\xf7\x12\x01\x02\x02")};
// 1.2.840.113554.1.2.1.4: a host-based service name, "service@host" (RFC 2743 4.1).
inline gss_OID_desc host_based_service = {10, const_cast<char *>("\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04")};
// 1.2.840.113554.1.2.1.1: a user name (RFC 2743 4.2).
inline gss_OID_desc user_name = {10, const_cast<char *>("\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x01")};
// 1.2.840.113554.1.2.2.1: a Kerberos principal name, "user@REALM" (RFC 1964 2.1.1).
inline gss_OID_desc kerberos_principal = {10, const_cast<char *>("\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x01")};
// 1.3.6.1.4.1.311.2.2.10: NTLMSSP (the gss-ntlmssp mechanism).
inline gss_OID_desc ntlm_mechanism = {10, const_cast<char *>("\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a")};

}  // namespace email::gss_names
