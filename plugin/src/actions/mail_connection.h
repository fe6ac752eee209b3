// Opening the mailbox a resolved ConnectRequest describes, whatever the connection type and
// sign-in: IMAP/POP3 with a password or an OAuth2 token (XOAUTH2/OAUTHBEARER), EWS with Basic or
// OAuth2. Shared by the Connect and Authorize actions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "properties/connect_request.h"
#include "session/mail_client.h"

namespace email {

struct OpenedMailbox {
   std::unique_ptr<MailClient> client;
   std::string server;                 // "host:port" or the EWS URL, for messages
   std::vector<std::string> warnings;  // also logged; the Connect result carries them
};

// "IMAP", "POP3" or "EWS".
const char *protocol_name(const ConnectRequest &request);

// Who a call for `request` talks to, for messages: "imap.example.com:993"; for EWS the ews_url,
// the Office 365 endpoint, or "the Autodiscover of contoso.com".
std::string server_label(const ConnectRequest &request);

// Connects and signs in. Throws Failure.
OpenedMailbox open_mailbox(const ConnectRequest &request, CallContext &context);

// The EWS URL for `request`'s EWS target (ews_url, Office 365, or Autodiscover's answer).
std::string ews_url_for(const ConnectRequest &request, const EwsTarget &ews, CallContext &context);

// `request.oauth` with the scope for the service it connects to (`ews_url` for EWS).
OAuthSettings oauth_settings_for(const ConnectRequest &request, const std::string &ews_url);

}  // namespace email
