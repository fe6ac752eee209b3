// POX Autodiscover (learn.microsoft.com/exchange/client-developer/exchange-web-services/
// autodiscover-for-exchange): the EWS URL of a mailbox from its e-mail address.
//
// Candidates, in Microsoft's order, for the domain (the Domain name field, else the address's):
//   1. POST https://<domain>/autodiscover/autodiscover.xml
//   2. POST https://autodiscover.<domain>/autodiscover/autodiscover.xml
//   3. GET  http://autodiscover.<domain>/autodiscover/autodiscover.xml, unauthenticated; only a
//      redirect to an https:// URL is followed (nothing else is trusted over plain HTTP)
//   4. DNS SRV _autodiscover._tcp.<domain> -> POST https://<target>:<port>/autodiscover/...
// A candidate whose host does not resolve is skipped without a connection (unless the proxy
// resolves names: http://, socks5h://). Through a socks5h proxy the SRV step is skipped (DNS
// cannot go through it); through others it is a local DNS query, as Outlook's is. Answers:
// "settings" (the EXCH, else EXPR, protocol's EwsUrl), "redirectAddr" (start again for the new
// address), "redirectUrl" and HTTP redirects (followed when https). At most 10 redirections.
// Credentials (Basic) go only to https:// URLs. The answer is cached per address for the process.
#pragma once

#include <string>

#include "windows_sign_in/windows_sign_in.h"
#include "net/call_context.h"
#include "net/tls_settings.h"
#include "util/secret.h"

namespace email {

struct AutodiscoverRequest {
   std::string email;                       // the mailbox's address
   std::string domain;                      // where to start; "" means the address's domain
   const SecretString *password = nullptr;  // Basic credentials with `email`, or none
   // Windows sign-in (Negotiate) instead of Basic, for the service HTTP/<each candidate host>.
   const WindowsSignInSettings *windows = nullptr;
   TlsSettings tls;
};

// What one candidate's POX answer says (pure; fuzzed).
struct AutodiscoverAnswer {
   enum class Kind { ews_url, redirect_address, redirect_url, failed } kind = Kind::failed;
   std::string value;  // the URL, the address, or why it failed
};
AutodiscoverAnswer read_autodiscover_answer(const std::string &body);

// The EWS URL. Throws Failure(connection_failed) listing what each candidate answered.
std::string autodiscover_ews_url(const AutodiscoverRequest &request, CallContext &context);

}  // namespace email
