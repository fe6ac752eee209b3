#include "line/mail_server_backend.h"

#include "http/https_client.h"
#include "oauth/token_refresh.h"
#include "util/failure.h"

namespace email {

namespace {

// Exchange Online's IMAP and POP3 take tokens for this resource.
constexpr const char *kExchangeOnlineResource = "https://outlook.office365.com";

}  // namespace

bool MailServerBackend::serves(const ConnectRequest &request) const {
   const MailServerTarget *server = request.mail_server();
   return server && server->protocol == protocol_.protocol;
}

std::string MailServerBackend::server_label(const ConnectRequest &request) const {
   const MailServerTarget &server = request.target_as<MailServerTarget>();
   return endpoint_label(server.host, server.port);
}

OAuthSettings MailServerBackend::oauth_settings(const ConnectRequest &request, CallContext &) const {
   OAuthSettings settings = request.oauth->clone();
   settings.scope = settings.provider == OAuthProvider::google
                        ? google_mail_scope()
                        : microsoft_scope(settings.flow, kExchangeOnlineResource, protocol_.oauth_service);
   // Sending over SMTP too: one token for both (the same resource), so Authorize asks once.
   if (request.target_as<MailServerTarget>().smtp && settings.provider == OAuthProvider::microsoft &&
       settings.flow != OAuthFlow::app_only)
      settings.scope = std::string(kExchangeOnlineResource) + "/SMTP.Send " + settings.scope;
   return settings;
}

OpenedMailbox MailServerBackend::open(const ConnectRequest &request, CallContext &context) const {
   const MailServerTarget &server = request.target_as<MailServerTarget>();
   const ServerEndpoint endpoint = request.endpoint(server, context);
   LineOptions options;
   options.mailbox = server.mailbox;
   options.imap_id = server.imap_id;
   OpenedMailbox opened;
   opened.server = endpoint.label();
   if (!request.oauth) {
      opened.client = protocol_.open(endpoint, request.username, request.password, SecretKind::password,
                                     std::move(options), context);
      return opened;
   }
   const OAuthSettings settings = oauth_settings(request, context);
   HttpsClient identity(settings.tls);
   opened.client =
       with_token_refresh(settings, identity, context, protocol_.name, [&](const SecretString &token) {
          return protocol_.open(endpoint, request.username, token, SecretKind::oauth2_token, options,
                                context);
       });
   return opened;
}

}  // namespace email
