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
};

// PLAIN (RFC 4616): "" NUL authcid NUL passwd, no authorization identity.
std::unique_ptr<SaslMechanism> make_plain_mechanism(std::string_view username,
                                                    std::string_view password);
// LOGIN (draft-murchison-sasl-login): username, then password, each on request.
std::unique_ptr<SaslMechanism> make_login_mechanism(std::string_view username,
                                                    std::string_view password);

}  // namespace email
