// Which SASL mechanism to use, from what the server offers: the one place that decides, for
// IMAP and POP3 alike.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "sasl/sasl_mechanism.h"

namespace email {

// Whether the server offers SASL mechanism `name` ("PLAIN", "OAUTHBEARER", ...).
using OffersMechanism = std::function<bool(std::string_view name)>;

// OAUTHBEARER (RFC 7628) when offered, else XOAUTH2; nullptr when the server offers neither.
std::unique_ptr<SaslMechanism> choose_oauth2_mechanism(const OffersMechanism &offers,
                                                       std::string_view username,
                                                       std::string_view access_token, std::string_view host,
                                                       unsigned port);

// PLAIN when offered; else LOGIN when offered and `login_allowed`; nullptr otherwise (the
// protocol's own password command is next: IMAP LOGIN, POP3 USER/PASS). With an `authzid` (another
// mailbox) only PLAIN can carry it: nullptr when PLAIN is not offered.
std::unique_ptr<SaslMechanism> choose_password_mechanism(const OffersMechanism &offers,
                                                         std::string_view username, std::string_view password,
                                                         bool login_allowed, std::string_view authzid = {});

}  // namespace email
