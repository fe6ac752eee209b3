// Kerberos failures in Windows terms a bot designer can act on: wrong password (the KDC said
// preauthentication failed), unknown user, clock skew too great, no ticket cache, no such service
// principal (SPN), password expired, account disabled, the KDC unreachable. One mapping for the
// krb5 library's codes (windows_sign_in/kerberos_tickets.h) and GSSAPI's minor codes (windows_sign_in/windows_sign_in.h).
// Messages name the user and the service, never a secret or a ticket.
#pragma once

#include <string>

#include "util/failure.h"

namespace email {

// Kerberos cannot be used from here at all (no KDC of the realm can be found or reached, or the
// domain has no principal for the service), as opposed to refusing this user: where Windows'
// Negotiate falls back to NTLM. authentication_failed like the rest.
class KerberosUnavailable : public Failure {
 public:
   using Failure::Failure;
};

// Throws Failure(authentication_failed) for the Kerberos error `code` met while `doing`
// ("signing in"), or KerberosUnavailable for the codes that mean Kerberos is not possible.
// `detail` is the library's own text for the code (used where no plain explanation is known, and
// to say why a KDC was not reached).
[[noreturn]] void throw_kerberos_failure(const char *doing, long code, const std::string &detail,
                                         const std::string &user, const std::string &service);

}  // namespace email
