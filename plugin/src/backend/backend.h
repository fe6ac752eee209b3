// Backend: what each connection type that opens a mailbox supplies (IMAP, POP3, EWS, Microsoft
// 365 through Graph), so that Connect and Authorize never ask which one they hold.
//
// Each backend lives in its own folder (imap/imap_backend.cpp, ...), a constant object listed once
// in the backend table (actions/backend_table.h), as actions are in the ActionTable. A backend owns how
// it opens from a resolved ConnectRequest: its endpoint, its OAuth2 scope, its discovery
// (Autodiscover for EWS), its warnings.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "net/call_context.h"
#include "oauth/oauth_settings.h"
#include "properties/connect_request.h"
#include "session/mail_client.h"

namespace email {

struct OpenedMailbox {
   std::unique_ptr<MailClient> client;
   std::string server;                 // "host:port" or the service URL, for messages
   std::vector<std::string> warnings;  // logged already; the Connect result carries them
   std::string user;                   // who is signed in, when the request has no username (Outlook's user)
};

class Backend {
 public:
   virtual ~Backend() = default;
   // "IMAP", "POP3", "EWS", "Graph": for messages and the log.
   virtual const char *protocol() const = 0;
   // Whether `request`'s target is this backend's.
   virtual bool serves(const ConnectRequest &request) const = 0;
   // Who a call for `request` talks to, for messages, before anything is discovered:
   // "imap.example.com:993", the EWS URL, "the Autodiscover of contoso.com".
   virtual std::string server_label(const ConnectRequest &request) const = 0;
   // Connects and signs in. Throws Failure.
   virtual OpenedMailbox open(const ConnectRequest &request, CallContext &context) const = 0;
   // `request.oauth` with this service's scope, for Authorize; may discover the service first
   // (EWS's Autodiscover). Only called when request.oauth is set.
   virtual OAuthSettings oauth_settings(const ConnectRequest &request, CallContext &context) const = 0;
   // Whether the session keeps the request (and its secrets) to reconnect once when it finds the
   // connection lost: the line protocols. HTTP services make a new request for each call.
   virtual bool reconnects() const { return false; }
};

}  // namespace email
