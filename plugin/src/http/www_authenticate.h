// Reading a WWW-Authenticate header value (RFC 9110 11.6.1), which may hold several challenges
// joined by ", " ("Negotiate abc==, NTLM, Basic realm=\"x\""). Pure; fuzzed in ews_soap.
#pragma once

#include <string>

namespace email {

// The token of `scheme` ("Negotiate", "NTLM") in `www_authenticate`; "" when it has none (a bare
// scheme carries no token).
std::string authentication_token(const std::string &www_authenticate, const std::string &scheme);

// Whether `www_authenticate` offers `scheme` ("NTLM", "Negotiate"), with a token or without.
bool offers_scheme(const std::string &www_authenticate, const std::string &scheme);

}  // namespace email
