#include "ews/ews_backend.h"

#include <optional>

#include "ews/autodiscover.h"
#include "ews/ews_client.h"
#include "ews/ews_endpoint.h"
#include "ews/ews_retirement.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

// For messages: the domain Autodiscover would ask about.
std::string autodiscover_domain(const ConnectRequest &request, const EwsTarget &ews) {
   const std::size_t at = request.username.rfind('@');
   return ews.domain.find('.') != std::string::npos ? ews.domain
          : at == std::string::npos                 ? request.username
                                                    : request.username.substr(at + 1);
}

// The Windows sign-in the bag asks for (auth_type negotiate or ntlm), or none.
std::optional<WindowsSignInSettings> windows_sign_in_of(const ConnectRequest &request) {
   if (request.auth != AuthKind::negotiate && request.auth != AuthKind::ntlm) return std::nullopt;
   return WindowsSignInSettings{
       request.auth == AuthKind::ntlm ? WindowsMechanism::ntlm : WindowsMechanism::kerberos, request.username,
       request.password.clone(), request.spn};
}

// The EWS URL: ews_url, Office 365's endpoint, or Autodiscover's answer.
std::string ews_url_for(const ConnectRequest &request, CallContext &context) {
   const EwsTarget &ews = request.target_as<EwsTarget>();
   if (!ews.ews_url.empty()) return ews.ews_url;
   // The seed: a blank Domain name (or smtp.office365.com) means Office 365, whatever the
   // username's domain; Autodiscover runs only when the designer typed another domain.
   if (means_office365(ews.domain)) return kOffice365EwsUrl;
   AutodiscoverRequest discover;
   discover.email = request.username;
   // A dotted name is a DNS domain; anything else (a Windows domain such as "CONTOSO") is not,
   // and the username's domain is used.
   discover.domain = ews.domain.find('.') != std::string::npos ? ews.domain : std::string();
   // Basic credentials or Windows sign-in; an OAuth2 token's audience is the EWS host, which is
   // what we look for.
   std::optional<WindowsSignInSettings> windows = windows_sign_in_of(request);
   if (windows) {
      discover.windows = &*windows;
      if (!ews.mailbox.empty()) discover.email = ews.mailbox;  // the address, when username is DOMAIN\user
   } else if (!request.oauth) {
      discover.password = &request.password;
   }
   discover.tls = request.tls;
   return autodiscover_ews_url(discover, context);
}

// `request.oauth` with the EWS scope of the host `ews_url` names.
OAuthSettings ews_oauth_settings(const ConnectRequest &request, const std::string &ews_url) {
   OAuthSettings settings = request.oauth->clone();
   settings.scope = microsoft_scope(settings.flow, url_origin(ews_url), "EWS");
   return settings;
}

class EwsBackend final : public Backend {
 public:
   const char *protocol() const override { return "EWS"; }
   bool serves(const ConnectRequest &request) const override { return request.ews() != nullptr; }

   std::string server_label(const ConnectRequest &request) const override {
      const EwsTarget &ews = request.target_as<EwsTarget>();
      if (!ews.ews_url.empty()) return ews.ews_url;
      if (means_office365(ews.domain)) return kOffice365EwsUrl;
      return "the Autodiscover of " + autodiscover_domain(request, ews);
   }

   OpenedMailbox open(const ConnectRequest &request, CallContext &context) const override {
      const EwsTarget &ews = request.target_as<EwsTarget>();
      EwsSettings settings;
      settings.url = ews_url_for(request, context);
      settings.server_version = ews.exchange_version;
      settings.username = request.username;
      settings.mailbox = ews.mailbox;
      settings.tls = request.tls;
      if (request.oauth) settings.oauth = ews_oauth_settings(request, settings.url);
      settings.windows = windows_sign_in_of(request);
      // With Windows sign-in the password went into it.
      if (!settings.windows) settings.password = request.password.clone();
      OpenedMailbox opened;
      opened.server = settings.url;
      const bool exchange_online = is_exchange_online_host(url_host(settings.url));
      opened.client = EwsClient::open(std::move(settings), context);
      if (exchange_online) {
         opened.warnings.emplace_back(exchange_online_retirement_warning());
         context.host().warning(exchange_online_retirement_warning());
      }
      return opened;
   }

   OAuthSettings oauth_settings(const ConnectRequest &request, CallContext &context) const override {
      return ews_oauth_settings(request, ews_url_for(request, context));
   }
};

}  // namespace

const Backend &ews_backend() {
   static const EwsBackend backend;
   return backend;
}

}  // namespace email
