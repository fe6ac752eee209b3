#include "imap/imap_backend.h"

#include "imap/imap_client.h"
#include "line/mail_server_backend.h"

namespace email {

namespace {

std::unique_ptr<MailClient> open_imap(const ServerEndpoint &endpoint, const std::string &username,
                                      const SecretString &secret, SecretKind kind, LineOptions options,
                                      CallContext &context) {
   return ImapClient::open(endpoint, username, secret, context, kind, std::move(options));
}

}  // namespace

const Backend &imap_backend() {
   static const MailServerBackend backend({MailProtocol::imap, "IMAP", "IMAP", &open_imap});
   return backend;
}

}  // namespace email
