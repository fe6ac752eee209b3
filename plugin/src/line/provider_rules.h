// What well-known mail providers require instead of the account password, said in their own
// terms when they refuse one (issue: "providers that refuse passwords, said in their own terms").
//
// Each rule is the provider's documented one:
//   - Microsoft 365 / Outlook.com (outlook.office365.com, outlook.office.com): Basic authentication
//     for IMAP and POP is off in Exchange Online since 1 October 2022 (learn.microsoft.com,
//     "Deprecation of Basic authentication in Exchange Online"): OAuth2 only.
//   - Gmail (imap.gmail.com, pop.gmail.com): no account password from mail apps ("less secure
//     apps", support.google.com/accounts/answer/6010255); OAuth2, or an app password with 2-Step
//     Verification (support.google.com/accounts/answer/185833).
//   - iCloud (imap.mail.me.com): an app-specific password (support.apple.com/102654).
//   - NetEase 163 / 126 (imap.163.com, imap.126.com, pop.163.com, pop.126.com) and QQ Mail
//     (imap.qq.com, pop.qq.com): an authorization code generated in the web mail's settings
//     (授权码) instead of the login password, after turning IMAP/POP on there.
#pragma once

#include <string>

namespace email {

// The sentence to add when `host` (lower-case) refused a password, or "" for other hosts.
std::string provider_password_rule(const std::string &host);

}  // namespace email
