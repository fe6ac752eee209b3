#include "windows_sign_in/kerberos_failure.h"

#include <krb5/krb5.h>

namespace email {

void throw_kerberos_failure(const char *doing, long code, const std::string &detail, const std::string &user,
                            const std::string &service) {
   bool unavailable = false;
   std::string why;
   if (code == KRB5KDC_ERR_PREAUTH_FAILED || code == KRB5KRB_AP_ERR_BAD_INTEGRITY) {
      why = "the password of \"" + user + "\" is wrong (the KDC said preauthentication failed)";
   } else if (code == KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN) {
      why = "the domain does not know the user \"" + user + "\" (check username: user@REALM or DOMAIN\\user)";
   } else if (code == KRB5KRB_AP_ERR_SKEW || code == KRB5KRB_AP_ERR_TKT_NYV || code == KRB5_KDCREP_SKEW) {
      why =
          "this machine's clock differs too much from the domain controller's or the server's (Kerberos "
          "allows 5 minutes); set the clock right";
   } else if (code == KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN) {
      unavailable = true;
      why = "the domain has no service principal \"" + service +
            "\" for the server; set spn to the one registered for Exchange (setspn -L on the server's "
            "account)";
   } else if (code == KRB5_FCC_NOFILE || code == KRB5_CC_NOTFOUND || code == KRB5_CC_NOSUPP) {
      why =
          "no Kerberos ticket cache was found for this runner and no password was given; run kinit "
          "(e.g. kinit -k -t service.keytab user) or give a password";
   } else if (code == KRB5KDC_ERR_KEY_EXP) {
      why = "the password of \"" + user + "\" has expired; change it in the domain";
   } else if (code == KRB5KDC_ERR_CLIENT_REVOKED) {
      why = "the account \"" + user + "\" is disabled or locked out";
   } else if (code == KRB5KRB_AP_ERR_TKT_EXPIRED) {
      why = "the Kerberos ticket has expired; renew it (kinit) or give a password";
   } else if (code == KRB5_KDC_UNREACH || code == KRB5_REALM_CANT_RESOLVE || code == KRB5_REALM_UNKNOWN) {
      unavailable = true;
      why = "no domain controller (KDC) could be reached: " + detail;
   } else {
      why = detail;
   }
   const std::string message = std::string("authentication failed: Windows sign-in (") + doing + "): " + why;
   if (unavailable) throw KerberosUnavailable(RPA_AUTHENTICATION_FAILED, message);
   throw Failure(RPA_AUTHENTICATION_FAILED, message);
}

}  // namespace email
