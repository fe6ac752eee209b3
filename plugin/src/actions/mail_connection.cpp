#include "actions/mail_connection.h"

#include "ews/autodiscover.h"
#include "ews/ews_client.h"
#include "ews/ews_endpoint.h"
#include "imap/imap_client.h"
#include "oauth/token_broker.h"
#include "oauth/token_refresh.h"
#include "pop3/pop3_client.h"
#include "util/failure.h"

namespace email {

namespace {

// Exchange Online's IMAP and POP3 take tokens for this resource.
constexpr const char *kExchangeOnlineResource = "https://outlook.office365.com";

std::unique_ptr<MailClient> open_mail_server(ConnectRequest &request, const SecretString &secret,
                                             SecretKind kind, CallContext &context) {
   if (request.protocol == MailProtocol::imap)
      return ImapClient::open(request.endpoint, request.username, secret, context, kind);
   return Pop3Client::open(request.endpoint, request.username, secret, context, kind);
}

std::unique_ptr<MailClient> open_mail_server_with_oauth2(ConnectRequest &request, CallContext &context) {
   const OAuthSettings settings = oauth_settings_for(request, "");
   HttpsClient identity(settings.tls);
   return with_token_refresh(settings, identity, context,
                             request.protocol == MailProtocol::imap ? "IMAP" : "POP3",
                             [&](const SecretString &token) {
                                return open_mail_server(request, token, SecretKind::oauth2_token, context);
                             });
}

}  // namespace

OAuthSettings oauth_settings_for(const ConnectRequest &request, const std::string &ews_url) {
   OAuthSettings settings = request.oauth->clone();
   if (settings.provider == OAuthProvider::google) {
      settings.scope = google_mail_scope();
   } else if (request.connection == ConnectionKind::ews) {
      settings.scope = microsoft_scope(settings.flow, url_origin(ews_url), "EWS");
   } else {
      settings.scope = microsoft_scope(settings.flow, kExchangeOnlineResource,
                                       request.protocol == MailProtocol::imap ? "IMAP" : "POP");
   }
   return settings;
}

std::string ews_url_for(const ConnectRequest &request, CallContext &context) {
   if (!request.ews_url.empty()) return request.ews_url;
   // The seed: a blank Domain name (or smtp.office365.com) means Office 365, whatever the
   // username's domain; Autodiscover runs only when the designer typed another domain.
   if (means_office365(request.domain)) return kOffice365EwsUrl;
   AutodiscoverRequest discover;
   discover.email = request.username;
   // A dotted name is a DNS domain; anything else (a Windows domain such as "CONTOSO") is not,
   // and the username's domain is used.
   discover.domain = request.domain.find('.') != std::string::npos ? request.domain : std::string();
   // Basic credentials only; an OAuth2 token's audience is the EWS host, which is what we look for.
   if (!request.oauth) discover.password = &request.password;
   discover.tls = request.endpoint.tls_settings;
   return autodiscover_ews_url(discover, context);
}

std::string server_label(const ConnectRequest &request) {
   if (request.connection != ConnectionKind::ews) return request.endpoint.label();
   if (!request.ews_url.empty()) return request.ews_url;
   if (means_office365(request.domain)) return kOffice365EwsUrl;
   const std::size_t at = request.username.rfind('@');
   const std::string domain = request.domain.find('.') != std::string::npos ? request.domain
                              : at == std::string::npos ? request.username
                                                        : request.username.substr(at + 1);
   return "the Autodiscover of " + domain;
}

OpenedMailbox open_mailbox(ConnectRequest &request, CallContext &context) {
   OpenedMailbox opened;
   if (request.connection == ConnectionKind::ews) {
      EwsSettings settings;
      settings.url = ews_url_for(request, context);
      settings.server_version = request.exchange_version;
      settings.username = request.username;
      settings.password = request.password.clone();
      settings.tls = request.endpoint.tls_settings;
      if (request.oauth) settings.oauth = oauth_settings_for(request, settings.url);
      opened.server = settings.url;
      const bool exchange_online = is_exchange_online_host(url_host(settings.url));
      opened.client = EwsClient::open(std::move(settings), context);
      if (exchange_online) {
         opened.warnings.emplace_back(exchange_online_retirement_warning());
         context.host().warning(exchange_online_retirement_warning());
      }
      return opened;
   }
   opened.server = request.endpoint.label();
   if (request.oauth)
      opened.client = open_mail_server_with_oauth2(request, context);
   else
      opened.client = open_mail_server(request, request.password, SecretKind::password, context);
   return opened;
}

}  // namespace email
