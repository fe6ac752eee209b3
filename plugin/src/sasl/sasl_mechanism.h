// SASL mechanisms (RFC 4422), independent of the protocol that carries them.
//
// A mechanism produces the client's messages in raw bytes; the carrying protocol (IMAP
// AUTHENTICATE, POP3 AUTH) base64-encodes them. All messages are SecretStrings.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/secret.h"

namespace email {

class SaslMechanism {
 public:
   virtual ~SaslMechanism() = default;
   // Registered name, e.g. "PLAIN".
   virtual const char *name() const = 0;
   // The client-first message, or nullopt when the mechanism waits for a server challenge.
   virtual std::optional<SecretString> initial_response() = 0;
   // The answer to one decoded server challenge. Throws Failure(protocol_error) when the
   // challenge makes no sense for the mechanism.
   virtual SecretString respond(std::string_view challenge) = 0;
   // What the server explained in a challenge before failing the exchange (OAuth2 mechanisms
   // receive a JSON error status this way), printable; "" when nothing.
   virtual std::string server_error() const { return {}; }
};

// PLAIN (RFC 4616): "" NUL authcid NUL passwd, no authorization identity.
// PLAIN (RFC 4616): `authzid` names the mailbox to open when it is not the user's own (a shared
// mailbox, a master user's login as another user); empty for the user's own.
std::unique_ptr<SaslMechanism> make_plain_mechanism(std::string_view username, std::string_view password,
                                                    std::string_view authzid = {});
// LOGIN (draft-murchison-sasl-login): username, then password, each on request.
std::unique_ptr<SaslMechanism> make_login_mechanism(std::string_view username, std::string_view password);

// XOAUTH2 (Google's and Microsoft's OAuth2 for IMAP/POP3/SMTP): "user=" U ^A "auth=Bearer "
// TOKEN ^A ^A. A challenge is the server's JSON error; the answer is an empty response, after
// which the server fails the exchange.
std::unique_ptr<SaslMechanism> make_xoauth2_mechanism(std::string_view username,
                                                      std::string_view access_token);
// OAUTHBEARER (RFC 7628): "n,a=" U "," ^A "host=" H ^A "port=" P ^A "auth=Bearer " TOKEN ^A ^A
// (',' and '=' in U escaped as =2C and =3D). A challenge is the JSON error (RFC 7628 3.2.2); the
// answer is a single ^A (3.2.3).
std::unique_ptr<SaslMechanism> make_oauthbearer_mechanism(std::string_view username,
                                                          std::string_view access_token,
                                                          std::string_view host, unsigned port);

}  // namespace email
