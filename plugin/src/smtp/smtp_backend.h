// The sending side of an email_server session: SMTP submission to smtp_host, signed in with the
// Connect's credentials (a password, or an OAuth2 token from the mailbox backend's settings, whose
// scope includes SMTP.Send), kept as the session's MessageSender (smtp/smtp_sender.h).
#pragma once

#include <memory>

#include "backend/backend.h"
#include "session/message_sender.h"

namespace email {

// Connects and signs in to `request`'s SMTP server now, so that a wrong setting fails at Connect;
// the sender keeps `request` to connect again later. `mailbox` is the backend that opened the
// mailbox (its OAuth2 settings). Throws Failure; `request` must name smtp_host.
std::unique_ptr<MessageSender> open_smtp_sender(const Backend &mailbox,
                                                const std::shared_ptr<const ConnectRequest> &request,
                                                CallContext &context);

}  // namespace email
