// WindowsSignIn: HTTP Negotiate (RFC 4559) with Kerberos for on-premises Exchange, on MIT
// Kerberos' GSSAPI. Nothing of Kerberos is written here: the library gets the tickets and makes
// and checks the tokens. The token is the Kerberos mechanism's own (RFC 4121 framing), which
// Negotiate acceptors (Windows' and SPNEGO implementations) take as they take it inside SPNEGO;
// going through SPNEGO here would hide the KDC's answer (a wrong password) behind "SPNEGO cannot
// find mechanisms", and would fall back to NTLM, which is not offered yet.
//
// Credentials: with a password, the plugin's own in memory (gss_acquire_cred_with_password, for
// `username` as user@REALM, DOMAIN\user or user@domain); without one, the runner's ticket cache
// (KRB5CCNAME or the default one: the unattended runner with a keytab-based service account).
// The service is HTTP/<host> unless `spn` names another. Mutual authentication is requested, and
// the server's answer token is checked when it sends one.
//
// Failures are Failure(authentication_failed) in Windows terms a bot designer can act on: wrong
// password (the KDC said preauthentication failed), unknown user, clock skew too great, no ticket
// cache, no such service principal (SPN), the KDC unreachable. Secrets and tickets never appear in
// messages or logs.
#pragma once

#include <memory>
#include <string>

#include "net/call_context.h"
#include "util/failure.h"
#include "util/secret.h"

namespace email {

enum class WindowsMechanism {
   kerberos,  // HTTP "Negotiate" with a Kerberos token
   ntlm,      // HTTP "NTLM" (gss-ntlmssp): three legs on one connection; needs a password
};

// Kerberos cannot be used from here at all (no KDC of the realm can be found or reached, or the
// domain has no principal for the service), as opposed to refusing this user: where Windows'
// Negotiate falls back to NTLM. authentication_failed like the rest.
class KerberosUnavailable : public Failure {
 public:
   using Failure::Failure;
};

struct WindowsSignInSettings {
   WindowsMechanism mechanism = WindowsMechanism::kerberos;
   std::string username;   // user@REALM, DOMAIN\user, user@domain; "" = the ticket cache's principal
   SecretString password;  // empty: the runner's ticket cache
   std::string spn;        // "HTTP/host" (or "HTTP@host"); empty: HTTP/<server host>

   WindowsSignInSettings clone() const { return {mechanism, username, password.clone(), spn}; }
};

// The Kerberos principal for a Windows-style `username`: "DOMAIN\user" -> "user@DOMAIN", others as
// given (pure).
std::string kerberos_principal(const std::string &username);

// The token of `scheme` ("Negotiate", "NTLM") in a WWW-Authenticate value, which may hold several
// challenges joined by ", " ("Negotiate abc==, Basic realm=\"x\""); "" when it has none (pure;
// fuzzed in ews_soap).
std::string authentication_token(const std::string &www_authenticate, const std::string &scheme);

// The GSSAPI host-based service name for `spn` or, when empty, HTTP/<host>: "HTTP@host" (pure).
std::string gss_service_name(const std::string &spn, const std::string &host);

class WindowsSignIn {
 public:
   // Acquires the credentials once (a KDC round trip with a password). Throws Failure.
   WindowsSignIn(WindowsSignInSettings settings, const std::string &server_host, CallContext &context);
   ~WindowsSignIn();
   WindowsSignIn(const WindowsSignIn &) = delete;
   WindowsSignIn &operator=(const WindowsSignIn &) = delete;

   // Starts one exchange: the value of the Authorization header ("Negotiate <base64>", "NTLM
   // <base64>"). Each HTTP
   // request gets its own (a service ticket is fetched once and kept with the credentials).
   SecretString start(CallContext &context);
   // The server's WWW-Authenticate value on its answer: a final token (mutual authentication) is
   // checked; returns the next Authorization value when the server asks for another leg, else "".
   // Throws Failure(authentication_failed) when the token does not check out.
   SecretString answer(const std::string &www_authenticate, CallContext &context);

   // "NTLM" or "Negotiate": the HTTP authentication scheme.
   const char *scheme() const;
   // Whether an exchange takes more than one request (NTLM: its legs must share a connection).
   bool multi_leg() const;

   // "Negotiate (Kerberos) as alice@TEST.RPA", for info and logs.
   std::string description() const;

   struct State;  // the GSSAPI handles

 private:
   std::unique_ptr<State> state_;
};

}  // namespace email
