#include "smtp/smtp_backend.h"

#include "http/https_client.h"
#include "oauth/token_refresh.h"
#include "smtp/smtp_sender.h"

namespace email {

std::unique_ptr<MessageSender> open_smtp_sender(const Backend &mailbox,
                                                const std::shared_ptr<const ConnectRequest> &request,
                                                CallContext &context) {
   auto open_smtp = [&mailbox, request](CallContext &call) -> std::unique_ptr<SmtpClient> {
      const ServerEndpoint endpoint = request->endpoint(*request->target_as<MailServerTarget>().smtp, call);
      if (!request->oauth)
         return SmtpClient::open(endpoint, request->username, request->password, SecretKind::password, call);
      const OAuthSettings settings = mailbox.oauth_settings(*request, call);
      HttpsClient identity(settings.tls);
      return with_token_refresh(settings, identity, call, "SMTP", [&](const SecretString &token) {
         return SmtpClient::open(endpoint, request->username, token, SecretKind::oauth2_token, call);
      });
   };
   return std::make_unique<SmtpSender>(open_smtp(context), open_smtp);
}

}  // namespace email
