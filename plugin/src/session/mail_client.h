// MailClient: what every protocol engine (IMAP, POP3, later EWS) offers the email session once
// it is connected and authenticated. Calls are not thread-safe; EmailSessionObject serializes
// them.
#pragma once

#include <string>
#include <vector>

#include "net/call_context.h"
#include "net/server_endpoint.h"
#include "net/transport.h"

namespace email {

struct Folder {
   std::string name;  // UTF-8
   std::string delimiter;
   std::vector<std::string> attributes;
};

class MailClient {
 public:
   virtual ~MailClient() = default;
   virtual const char *protocol() const = 0;  // "IMAP", "POP3"
   virtual const std::vector<std::string> &capabilities() const = 0;
   virtual const Transport &transport() const = 0;
   // Throws Failure when the server does not answer or closed the session.
   virtual void noop(CallContext &context) = 0;
   virtual std::vector<Folder> list_folders(CallContext &context) = 0;
   // Says goodbye (LOGOUT, QUIT). Best effort: failures are logged, not thrown.
   virtual void logout(CallContext &context) = 0;
};

}  // namespace email
