#include "pop3/pop3_backend.h"

#include "line/mail_server_backend.h"
#include "pop3/pop3_client.h"

namespace email {

namespace {

std::unique_ptr<MailClient> open_pop3(const ServerEndpoint &endpoint, const std::string &username,
                                      const SecretString &secret, SecretKind kind, LineOptions options,
                                      CallContext &context) {
   return Pop3Client::open(endpoint, username, secret, context, kind, std::move(options));
}

}  // namespace

const Backend &pop3_backend() {
   static const MailServerBackend backend({MailProtocol::pop3, "POP3", "POP", &open_pop3});
   return backend;
}

}  // namespace email
