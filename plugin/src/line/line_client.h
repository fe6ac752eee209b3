// LineClient: an IMAP or POP3 client, a MailClient over the shared sign-in sequence
// (line/line_sign_in.h), and OpenableLineClient, the `open` both protocol clients offer.
#pragma once

#include <memory>
#include <string_view>

#include "line/line_sign_in.h"
#include "session/mail_client.h"

namespace email {

class LineClient : public MailClient, public LineSignIn {
 public:
   const char *protocol() const override { return LineSignIn::protocol(); }
   ConnectionFacts facts() const override { return connection_facts(); }

 protected:
   using LineSignIn::LineSignIn;
};

// The protocol clients' `open` (CRTP): `Client::open(endpoint, username, secret, context, kind)`
// connects and runs the sign-in sequence. `Client` befriends this class for its constructor
// `Client(const ServerEndpoint &, CallContext &)`.
template <typename Client>
class OpenableLineClient : public LineClient {
 public:
   static std::unique_ptr<Client> open(const ServerEndpoint &endpoint, std::string_view username,
                                       const SecretString &secret, CallContext &context,
                                       SecretKind kind = SecretKind::password, LineOptions options = {}) {
      std::unique_ptr<Client> client(new Client(endpoint, context));
      client->options_ = std::move(options);
      client->sign_in(username, secret, kind, context);
      return client;
   }

 protected:
   using LineClient::LineClient;
};

}  // namespace email
