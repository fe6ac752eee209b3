// ConnectRequest: a validated Email.Connect property bag, defaults applied and credentials
// resolved through the host's Credential Vault.
//
// require_valid() throws Failure(invalid_properties) naming every problem; then
// resolve_connect_request() is the only place that reads the bag's fields, and throws
// Failure(credential_not_found) naming the vault reference (never the secret).
#pragma once

#include <optional>
#include <string>

#include "host/host_services.h"
#include "properties/action_schema.h"
#include "session/mail_client.h"
#include "util/secret.h"
#include "util/secret.h"

namespace email {

enum class ConnectionKind { outlook, email_server, ews };
enum class MailProtocol { imap, pop3 };

struct ConnectRequest {
   std::string session_name;
   ConnectionKind connection = ConnectionKind::email_server;
   // email_server:
   MailProtocol protocol = MailProtocol::imap;
   ServerEndpoint endpoint;
   std::string username;
   SecretString password;
};

// Parses `json` (UTF-8) into a wiping document. Throws Failure(invalid_properties) when it is
// not JSON.
void parse_property_bag(const char *json, std::size_t size, SecretDocument &bag);

// Validates `bag` against `schema` and throws Failure(invalid_properties) listing every problem.
void require_valid(const ActionSchema &schema, const SecretDocument &bag);

// The connection type of a validated bag.
ConnectionKind connection_of(const SecretDocument &bag);

// The session name (default applied) of a validated bag.
std::string session_name_of(const ActionSchema &schema, const SecretDocument &bag);

// Applies defaults to a bag that passed require_valid and, for email_server, resolves username
// and password (reading the vault). For outlook and ews only the common fields are filled.
ConnectRequest resolve_connect_request(const ActionSchema &schema, const SecretDocument &bag,
                                       const HostServices &host);

}  // namespace email
