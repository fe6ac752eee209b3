// What Exchange says when it will not send a message, for both ways the plugin reaches it (EWS:
// ews/ews_sender.h, Microsoft Graph: graph/graph_sender.h), as sentences a bot designer can act on.
#pragma once

#include <string>

namespace email {

// Throws the Failure (ending in "; nothing was sent") that the response code `code` stands for
// when it is a refusal to send; returns otherwise:
//   ErrorSendAsDenied         -> invalid_properties naming `from`: the mailbox `mailbox` may not
//                                send as the message's sender, and how an administrator grants it
//   ErrorMessageSizeExceeded  -> invalid_properties: too large (also when `too_large`, HTTP 413)
//   ErrorInvalidRecipients    -> invalid_properties: no recipient Exchange can send to
// `service` names the server ("Exchange Online", "Exchange at mail.contoso.com:443"); `said` is
// the server's own words.
void throw_if_sending_refused(const std::string &code, bool too_large, const std::string &service,
                              const std::string &mailbox, const std::string &said);

}  // namespace email
