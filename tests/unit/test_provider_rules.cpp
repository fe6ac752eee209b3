// Providers that refuse account passwords: the rule each documents, added to the refusal, and
// the palette presets that say it before anyone tries.
#include <doctest/doctest.h>

#include <string>

#include "line/provider_rules.h"

using namespace email;

namespace {
bool has(const std::string &text, const std::string &fragment) {
   return text.find(fragment) != std::string::npos;
}
}  // namespace

TEST_SUITE("imap") {

TEST_CASE("a refused password at a known provider says that provider's rule and the fix") {
   CHECK(has(provider_password_rule("outlook.office365.com"), "set auth_type to \"oauth2\""));
   CHECK(has(provider_password_rule("outlook.office365.com"), "since 1 October 2022"));
   CHECK(has(provider_password_rule("pop.gmail.com"), "app password"));
   CHECK(has(provider_password_rule("imap.gmail.com"), "oauth_provider \"google\""));
   CHECK(has(provider_password_rule("imap.mail.me.com"), "app-specific password"));
   CHECK(has(provider_password_rule("imap.163.com"), "authorization code"));
   CHECK(has(provider_password_rule("pop.126.com"), "authorization code"));
   CHECK(has(provider_password_rule("imap.qq.com"), "not the QQ password"));
   CHECK(has(provider_password_rule("imap.ocn.ne.jp"), "OCN mail address (OCN ID)"));
   CHECK(has(provider_password_rule("pop.ocn.ne.jp"), "メールパスワード"));
   CHECK(provider_password_rule("mail.contoso.com").empty());
   CHECK(provider_password_rule("localhost").empty());
}

}  // TEST_SUITE("imap")
