#include "line/provider_rules.h"

namespace email {

namespace {

struct ProviderRule {
   const char *hosts[4];
   const char *rule;
};

const ProviderRule kRules[] = {
    {{"outlook.office365.com", "outlook.office.com", nullptr, nullptr},
     "Microsoft 365 and Outlook.com no longer accept passwords for IMAP and POP (Basic authentication "
     "is off in Exchange Online since 1 October 2022); set auth_type to \"oauth2\" with the app's "
     "client_id and tenant_id and press Authorize"},
    {{"imap.gmail.com", "pop.gmail.com", nullptr, nullptr},
     "Gmail does not accept the Google account password from mail apps; set auth_type to \"oauth2\" "
     "with oauth_provider \"google\" and press Authorize, or turn on 2-Step Verification and use an "
     "app password"},
    {{"imap.mail.me.com", nullptr, nullptr, nullptr},
     "iCloud Mail takes an app-specific password made at account.apple.com, not the Apple Account "
     "password"},
    {{"imap.163.com", "imap.126.com", "pop.163.com", "pop.126.com"},
     "NetEase 163/126 Mail takes an authorization code (授权码) generated in the web mail's settings "
     "(where IMAP/POP is turned on), not the login password"},
    // support.ocn.ne.jp "IDとパスワードのお手続き": the OCN ID is the OCN mail address, set in mail
    // apps; the OCN接続用ID (認証ID) has an @ too but is not a mail address. The mail password can
    // be set again in OCN マイページ.
    {{"imap.ocn.ne.jp", "pop.ocn.ne.jp", nullptr, nullptr},
     "OCN mail signs in with the OCN mail address (OCN ID) as the username and its mail password "
     "(メールパスワード), which OCN マイページ can set again; the OCN接続用ID (認証ID) has an @ but is "
     "not a mail address"},
    {{"imap.qq.com", "pop.qq.com", nullptr, nullptr},
     "QQ Mail takes an authorization code (授权码) generated in the web mail's settings (where "
     "IMAP/POP is turned on), not the QQ password"},
};

}  // namespace

std::string provider_password_rule(const std::string &host) {
   for (const ProviderRule &provider : kRules)
      for (const char *known : provider.hosts)
         if (known && host == known) return provider.rule;
   return "";
}

}  // namespace email
