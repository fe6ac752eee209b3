// ConnectRequest: a validated Email.Connect property bag, defaults applied and credentials
// resolved through the host's Credential Vault.
//
// require_valid() throws Failure(invalid_properties) naming every problem; then
// resolve_connect_request() reads its fields (connection_of and session_name_of read the two that
// Connect checks before touching the vault: this file is the bag's only reader), and throws
// Failure(credential_not_found) naming the vault reference (never the secret).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <variant>

#include "host/host_services.h"
#include "oauth/oauth_settings.h"
#include "properties/action_schema.h"
#include "session/mail_client.h"
#include "util/failure.h"
#include "util/secret.h"

namespace email {

enum class ConnectionKind { outlook, email_server, ews, microsoft365 };
enum class MailProtocol { imap, pop3 };
enum class AuthKind { password, oauth2, oauth2_app, negotiate, ntlm };

// Where an email_server session sends (smtp_host, smtp_port, smtp_tls_mode).
struct SmtpServer {
   std::string host;  // lower-case
   std::uint16_t port = 587;
   TlsPolicy tls = TlsPolicy::starttls_required;
   bool tls_guessed = false;  // smtp_tls_mode "auto": the policy is a guess from the port
};

// Connection type "email_server": an IMAP or POP3 server.
struct MailServerTarget {
   MailProtocol protocol = MailProtocol::imap;
   std::string host;  // lower-case
   std::uint16_t port = 0;
   TlsPolicy tls = TlsPolicy::implicit;
   bool tls_guessed = false;  // tls_mode "auto": the policy is a guess from the port
   // IMAP ID fields (imap_id): the product's name and version unless the bag gives its own;
   // empty when imap_id is false.
   std::vector<std::pair<std::string, std::string>> imap_id;
   // Another mailbox to open (`mailbox`), or "" for the user's own: the SASL authorization
   // identity with a password, the SASL user with OAuth2.
   std::string mailbox;
   // The submission server, when smtp_host is given; without one the session cannot send.
   std::optional<SmtpServer> smtp;
};

// Connection type "ews": Exchange Web Services.
struct EwsTarget {
   std::string ews_url;  // explicit endpoint, or ""
   std::string domain;   // "" or smtp.office365.com: Office 365; else Autodiscover's domain
   std::string exchange_version;
   std::string mailbox;  // another mailbox (delegate access / impersonation), or ""
};

// Connection type "microsoft365": Exchange Online through Microsoft Graph.
struct GraphTarget {
   std::string graph_url;  // where requests go: the cloud's endpoint, or graph_url; no trailing slash
   std::string resource;   // the token audience: the cloud's Graph resource (graph_url does not change it)
   std::string mailbox;    // another user's or a shared mailbox (lower case), or "" for the user's own
};

// Microsoft's national cloud table (learn.microsoft.com/graph/deployments): the sign-in authority
// and the Graph endpoint of `cloud` ("global", "usgov", "usgov_dod", "china").
struct NationalCloud {
   const char *authority;
   const char *graph;
};
NationalCloud national_cloud(const std::string &cloud);

// Connection type "outlook": classic desktop Outlook through its object model (Windows only).
struct OutlookTarget {
   std::string
       profile;  // the MAPI profile to log on with, or "" for the default (a running Outlook keeps its own)
   std::string
       mailbox;  // another store (display name) or a shared mailbox (address), or "" for the user's own
};

using ConnectTarget = std::variant<OutlookTarget, MailServerTarget, EwsTarget, GraphTarget>;

// What every connection type shares, and the target that differs.
struct ConnectRequest {
   std::string session_name;
   std::chrono::milliseconds timeout{30000};  // the whole call's deadline (timeout_seconds)
   TlsSettings tls;                           // trust (ca_file) for every connection the call opens
   std::string username;
   SecretString password;  // may be empty with OAuth2
   AuthKind auth = AuthKind::password;
   std::string spn;  // Negotiate: the server's service principal; "" = HTTP/<host>
   // OAuth2 (auth != password): everything but the scope, which depends on the target.
   std::optional<OAuthSettings> oauth;
   ConnectTarget target;
   ConnectionKind connection() const;
   // The target when it is of that type, else nullptr.
   const MailServerTarget *mail_server() const { return std::get_if<MailServerTarget>(&target); }
   const EwsTarget *ews() const { return std::get_if<EwsTarget>(&target); }
   const GraphTarget *graph() const { return std::get_if<GraphTarget>(&target); }
   // The target as `T`, for the backend that serves it; internal error when it is another.
   template <typename T>
   const T &target_as() const {
      if (const T *typed = std::get_if<T>(&target)) return *typed;
      throw Failure(RPA_INTERNAL, "a backend was given a connection type it does not serve");
   }
   // Where and how a mail server target connects (host, port, TLS policy, trust, timeout, and the
   // proxy: with proxy "system", the one the system names for it, found under `context`).
   ServerEndpoint endpoint(const MailServerTarget &server, const CallContext &context) const;
   ServerEndpoint endpoint(const SmtpServer &server, const CallContext &context) const;
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

// Applies defaults to a bag that passed require_valid and resolves every String-or-Credential
// field (reading the vault). For outlook only the common fields are filled.
ConnectRequest resolve_connect_request(const ActionSchema &schema, const SecretDocument &bag,
                                       const HostServices &host);

}  // namespace email
