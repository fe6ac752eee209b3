// WindowsSignIn: HTTP Negotiate (RFC 4559) with Kerberos, and NTLM, for on-premises Exchange, on
// MIT Kerberos' GSSAPI and gss-ntlmssp: the libraries get the tickets and make and check the
// tokens. The Kerberos token is the mechanism's own (RFC 4121 framing), not wrapped in SPNEGO
// (why: docs/design/windows-sign-in.md). Requests are signed in through NegotiateAuthorizer
// (windows_sign_in/negotiate_authorizer.h).
//
// Kerberos tickets come from windows_sign_in/kerberos_tickets.h (the KDC through the plugin's network code,
// under the call's timeout and cancellation): with a password, the plugin's own in memory, for
// `username` as user@REALM, DOMAIN\user or user@domain (the realm is the domain in capitals, as in
// Active Directory); without one, the runner's ticket cache (KRB5CCNAME or the default: the
// unattended runner with a keytab-based service account). GSSAPI makes the tokens from that cache
// and needs no KDC. The service is HTTP/<host> unless `spn` names another. Mutual authentication
// is requested, and the server's answer token is checked when it sends one. A service ticket about
// to run out is fetched again before the next request.
//
// NTLM needs no KDC: gss-ntlmssp computes its legs from the password in memory.
//
// Failures are Failure(authentication_failed) in Windows terms (windows_sign_in/kerberos_failure.h). Secrets
// and tickets never appear in messages or logs.
#pragma once

#include <memory>
#include <string>

#include "windows_sign_in/kerberos_failure.h"  // KerberosUnavailable
#include "net/call_context.h"
#include "util/failure.h"
#include "util/secret.h"

namespace email {

enum class WindowsMechanism {
   kerberos,  // HTTP "Negotiate" with a Kerberos token
   ntlm,      // HTTP "NTLM" (gss-ntlmssp): three legs on one connection; needs a password
};

struct WindowsSignInSettings {
   WindowsMechanism mechanism = WindowsMechanism::kerberos;
   std::string username;   // user@REALM, DOMAIN\user, user@domain; "" = the ticket cache's principal
   SecretString password;  // empty: the runner's ticket cache
   std::string spn;        // "HTTP/host" (or "HTTP@host"); empty: HTTP/<server host>

   WindowsSignInSettings clone() const { return {mechanism, username, password.clone(), spn}; }
};

// The Kerberos principal for a Windows-style `username`, its realm in capitals as Active Directory
// has it: "contoso\alice" -> "alice@CONTOSO", "alice@contoso.com" -> "alice@CONTOSO.COM"; a name
// without a domain as given (the default realm's) (pure).
std::string kerberos_principal(const std::string &username);

// The GSSAPI host-based service name for `spn` ("HTTP/host", "HTTP/host:443", "HTTP/host@REALM",
// "HTTP@host") or, when empty, HTTP/<host>: "HTTP@host" (pure).
std::string gss_service_name(const std::string &spn, const std::string &host);

// The realm an `spn` names ("HTTP/host@REALM" -> "REALM"), or "" (pure).
std::string spn_realm(const std::string &spn);

class WindowsSignIn {
 public:
   // Acquires the credentials and, for Kerberos, the service ticket once (KDC round trips).
   // Throws Failure (KerberosUnavailable where Kerberos is not possible at all).
   WindowsSignIn(WindowsSignInSettings settings, const std::string &server_host, CallContext &context);
   // As Windows' Negotiate does: the sign-in `settings` ask for, or NTLM where Kerberos is not
   // possible and a password was given, logged as "<who>: Kerberos is not possible here (...);
   // signing in with NTLM". Without a password, throws the KerberosUnavailable.
   static std::unique_ptr<WindowsSignIn> negotiate(WindowsSignInSettings settings,
                                                   const std::string &server_host, CallContext &context,
                                                   const std::string &who);
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

   // The same user's sign-in with NTLM instead (a server that offers NTLM and not Negotiate), or
   // nullptr when there is no password to sign in with. Throws Failure like the constructor.
   std::unique_ptr<WindowsSignIn> with_ntlm(const std::string &server_host, CallContext &context) const;

   WindowsMechanism mechanism() const;
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
