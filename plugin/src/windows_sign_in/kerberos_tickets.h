// KerberosTickets: the tickets of one Windows sign-in, got with MIT's krb5 library in a library
// context of the plugin's own whose KDC traffic goes through windows_sign_in/kdc_exchange.h (the call's
// timeout and the host's cancellation; nothing waits on libkrb5's own timers or the blocking system
// resolver). GSSAPI then makes the tokens from the cache these tickets are in
// (gss_acquire_cred_from), and needs no KDC itself.
//
// With a password, the initial ticket (AS exchange) goes into a MEMORY cache of this object's own,
// destroyed with it (keys wiped by libkrb5); without, the runner's ticket cache is used
// (KRB5CCNAME or the default: the unattended runner with a keytab-based service account), and the
// service ticket is added to it as kinit-then-kvno would. The service's name is taken as given,
// with its realm from krb5.conf's [domain_realm] or, without one, asked of the user's KDC (a
// referral): no DNS canonicalisation of the host name, as Windows does; `spn` names another.
//
// Failures are windows_sign_in/kerberos_failure.h's, in Windows terms.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "net/call_context.h"
#include "util/secret.h"

namespace email {

class KerberosTickets {
 public:
   // Signs `principal` (user@REALM) in with `password`; with an empty password, opens the runner's
   // ticket cache and names its principal (throws "no Kerberos ticket cache was found" without one).
   // `service` names the server in messages only.
   KerberosTickets(const std::string &principal, const SecretString &password, const std::string &service,
                   CallContext &context);
   ~KerberosTickets();
   KerberosTickets(const KerberosTickets &) = delete;
   KerberosTickets &operator=(const KerberosTickets &) = delete;

   // Fetches (TGS exchange) the ticket for `service_type`/`host` ("HTTP", "mail.contoso.com") in
   // `realm` (empty: the host's from [domain_realm], else the user's KDC says) into the cache,
   // signing in again first when the initial ticket has run out and a password was given. Returns
   // the server's principal as the ticket names it ("HTTP/mail.contoso.com@CONTOSO.COM").
   std::string fetch_service_ticket(const std::string &service_type, const std::string &host,
                                    const std::string &realm, CallContext &context);
   // Whether the service ticket runs out within `margin` (fetch again before the next request).
   bool service_ticket_expires_within(std::chrono::seconds margin) const;

   // Who the tickets are for ("alice@CONTOSO.COM").
   const std::string &principal() const;
   // The cache's full name ("MEMORY:...", "FILE:/tmp/krb5cc_1000"), for gss_acquire_cred_from.
   const std::string &cache_name() const;

   struct State;  // the krb5 handles and the hook's state

 private:
   std::unique_ptr<State> state_;
};

}  // namespace email
