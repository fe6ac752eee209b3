#include "actions/mail_connection.h"

#include <optional>

#include "ews/autodiscover.h"
#include "ews/ews_client.h"
#include "ews/ews_endpoint.h"
#include "ews/ews_retirement.h"
#include "graph/graph_client.h"
#include "imap/imap_client.h"
#include "oauth/token_broker.h"
#include "oauth/token_refresh.h"
#include "pop3/pop3_client.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

// Exchange Online's IMAP and POP3 take tokens for this resource.
constexpr const char *kExchangeOnlineResource = "https://outlook.office365.com";

std::unique_ptr<MailClient> open_mail_server(const ConnectRequest &request, const MailServerTarget &server,
                                             const SecretString &secret, SecretKind kind,
                                             CallContext &context) {
   const ServerEndpoint endpoint = request.endpoint(server);
   LineOptions options;
   options.mailbox = server.mailbox;
   if (server.protocol == MailProtocol::imap) {
      options.imap_id = server.imap_id;
      return ImapClient::open(endpoint, request.username, secret, context, kind, std::move(options));
   }
   return Pop3Client::open(endpoint, request.username, secret, context, kind, std::move(options));
}

std::unique_ptr<MailClient> open_mail_server_with_oauth2(const ConnectRequest &request,
                                                         const MailServerTarget &server,
                                                         CallContext &context) {
   const OAuthSettings settings = oauth_settings_for(request, "");
   HttpsClient identity(settings.tls);
   return with_token_refresh(
       settings, identity, context, protocol_name(request), [&](const SecretString &token) {
          return open_mail_server(request, server, token, SecretKind::oauth2_token, context);
       });
}

// For messages: the domain Autodiscover would ask about.
std::string autodiscover_domain(const ConnectRequest &request, const EwsTarget &ews) {
   const std::size_t at = request.username.rfind('@');
   return ews.domain.find('.') != std::string::npos ? ews.domain
          : at == std::string::npos                 ? request.username
                                                    : request.username.substr(at + 1);
}

}  // namespace

const char *protocol_name(const ConnectRequest &request) {
   if (request.ews()) return "EWS";
   if (request.graph()) return "Graph";
   const MailServerTarget *server = request.mail_server();
   return server && server->protocol == MailProtocol::pop3 ? "POP3" : "IMAP";
}

OAuthSettings oauth_settings_for(const ConnectRequest &request, const std::string &ews_url) {
   OAuthSettings settings = request.oauth->clone();
   if (settings.provider == OAuthProvider::google) {
      settings.scope = google_mail_scope();
   } else if (const GraphTarget *graph = request.graph()) {
      // Another user's or a shared mailbox needs the .Shared permission (delegated only).
      const bool shared = !graph->mailbox.empty() && graph->mailbox != to_lower_ascii(request.username);
      settings.scope = graph_scope(settings.flow, graph->resource, shared);
   } else if (request.ews()) {
      settings.scope = microsoft_scope(settings.flow, url_origin(ews_url), "EWS");
   } else {
      const MailServerTarget *server = request.mail_server();
      settings.scope = microsoft_scope(settings.flow, kExchangeOnlineResource,
                                       server && server->protocol == MailProtocol::pop3 ? "POP" : "IMAP");
   }
   return settings;
}

namespace {

// The Windows sign-in the bag asks for (auth_type negotiate or ntlm), or none.
std::optional<WindowsSignInSettings> windows_sign_in_of(const ConnectRequest &request) {
   if (request.auth != AuthKind::negotiate && request.auth != AuthKind::ntlm) return std::nullopt;
   return WindowsSignInSettings{
       request.auth == AuthKind::ntlm ? WindowsMechanism::ntlm : WindowsMechanism::kerberos, request.username,
       request.password.clone(), request.spn};
}

}  // namespace

std::string ews_url_for(const ConnectRequest &request, const EwsTarget &ews, CallContext &context) {
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

std::string server_label(const ConnectRequest &request) {
   if (const MailServerTarget *server = request.mail_server()) return request.endpoint(*server).label();
   if (const GraphTarget *graph = request.graph()) return graph->graph_url;
   const EwsTarget *ews = request.ews();
   if (!ews) return "Outlook";
   if (!ews->ews_url.empty()) return ews->ews_url;
   if (means_office365(ews->domain)) return kOffice365EwsUrl;
   return "the Autodiscover of " + autodiscover_domain(request, *ews);
}

OpenedMailbox open_mailbox(const ConnectRequest &request, CallContext &context) {
   OpenedMailbox opened;
   if (const EwsTarget *ews = request.ews()) {
      EwsSettings settings;
      settings.url = ews_url_for(request, *ews, context);
      settings.server_version = ews->exchange_version;
      settings.username = request.username;
      settings.mailbox = ews->mailbox;
      settings.password = request.password.clone();
      settings.tls = request.tls;
      if (request.oauth) settings.oauth = oauth_settings_for(request, settings.url);
      settings.windows = windows_sign_in_of(request);
      if (settings.windows) settings.password = SecretString();  // it went with the Windows sign-in
      opened.server = settings.url;
      const bool exchange_online = is_exchange_online_host(url_host(settings.url));
      opened.client = EwsClient::open(std::move(settings), context);
      if (exchange_online) {
         opened.warnings.emplace_back(exchange_online_retirement_warning());
         context.host().warning(exchange_online_retirement_warning());
      }
      return opened;
   }
   if (const GraphTarget *graph = request.graph()) {
      GraphSettings settings;
      settings.graph_url = graph->graph_url;
      settings.username = request.username;
      settings.mailbox = graph->mailbox;
      settings.oauth = oauth_settings_for(request, "");
      settings.tls = request.tls;
      opened.server = graph->graph_url;
      opened.client = GraphClient::open(std::move(settings), context);
      return opened;
   }
   const MailServerTarget *server = request.mail_server();
   if (!server) throw Failure(RPA_UNSUPPORTED, "this connection type opens no mailbox here");
   opened.server = request.endpoint(*server).label();
   if (request.oauth)
      opened.client = open_mail_server_with_oauth2(request, *server, context);
   else
      opened.client = open_mail_server(request, *server, request.password, SecretKind::password, context);
   return opened;
}

}  // namespace email
