#include "properties/connect_request.h"

#include "rpa_common/json.h"
#include "rpa_common/names.h"

#include <rapidjson/error/en.h>

#include "oauth/client_assertion.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

const SecretValue *member(const SecretDocument &bag, const char *name) {
   auto found = bag.FindMember(name);
   return found == bag.MemberEnd() ? nullptr : &found->value;
}

std::string string_or_default(const ActionSchema &schema, const SecretDocument &bag, const char *name) {
   if (const SecretValue *value = member(bag, name)) return value->GetString();
   const rapidjson::Value *fallback = schema.default_of(name);
   return fallback && fallback->IsString() ? fallback->GetString() : "";
}

bool bool_or_default(const ActionSchema &schema, const SecretDocument &bag, const char *name) {
   if (const SecretValue *value = member(bag, name)) return value->GetBool();
   const rapidjson::Value *fallback = schema.default_of(name);
   return fallback && fallback->IsBool() && fallback->GetBool();
}

long long int_or_default(const ActionSchema &schema, const SecretDocument &bag, const char *name) {
   if (const SecretValue *value = member(bag, name)) return value->GetInt64();
   const rapidjson::Value *fallback = schema.default_of(name);
   return fallback && fallback->IsInt64() ? fallback->GetInt64() : 0;
}

// A String-or-Credential field: the typed text, or the secret at its vault reference.
// Refuses a value no protocol may carry: NUL anywhere (RFC 3501 forbids it in literals, SASL
// PLAIN uses it as the separator), and for the username also line breaks. Before anything is
// sent; the message never holds the value.
SecretString checked(SecretString value, const char *name, const char *source) {
   const bool username = std::string_view(name) == "username";
   const std::string_view forbidden = username ? std::string_view("\0\r\n", 3) : std::string_view("\0", 1);
   if (value.view().find_first_of(forbidden) != std::string_view::npos)
      throw Failure(RPA_INVALID_PROPERTIES,
                    std::string("invalid properties: ") + name + " (" + source + ") contains " +
                        (username ? "a NUL character or a line break" : "a NUL character") +
                        ", which no mail protocol can carry; nothing was sent");
   return value;
}

SecretString resolve_text_or_credential(const SecretDocument &bag, const char *name,
                                        const HostServices &host) {
   const SecretValue &value = (*member(bag, name));
   if (value.IsString())
      return checked(SecretString(std::string_view(value.GetString(), value.GetStringLength())), name,
                     "typed");
   const SecretValue &reference = value["credential"];
   for (const char *part : {"locker", "name", "attribute"})
      if (!rpa::is_clean_name(
              std::string_view(reference[part].GetString(), reference[part].GetStringLength())))
         throw Failure(RPA_INVALID_PROPERTIES, std::string("invalid properties: ") + name +
                                                   ": the credential's " + part +
                                                   " holds control characters (line breaks, NUL)");
   CredentialRef ref{reference["locker"].GetString(), reference["name"].GetString(),
                     reference["attribute"].GetString()};
   SecretString secret = host.vault_get(ref, name);
   if (secret.empty())
      throw Failure(RPA_CREDENTIAL_NOT_FOUND, std::string(name) + ": the Credential Vault entry (locker \"" +
                                                  printable(ref.locker, 100) + "\", credential \"" +
                                                  printable(ref.name, 100) + "\", attribute \"" +
                                                  printable(ref.attribute, 100) + "\") is empty");
   return checked(std::move(secret), name, "from the Credential Vault");
}

std::uint16_t default_port(const ActionSchema &schema, const std::string &protocol, bool tls) {
   const rapidjson::Value &by_protocol = (*schema.property_schema("port"))["x-default-by-protocol"];
   return static_cast<std::uint16_t>(by_protocol[protocol.c_str()][tls ? "tls" : "plain"].GetInt());
}

OAuthSettings resolve_oauth_settings(const ActionSchema &schema, const SecretDocument &bag,
                                     const ConnectRequest &request, const HostServices &host) {
   OAuthSettings oauth;
   const bool email_server = request.connection() == ConnectionKind::email_server;
   oauth.provider = email_server && string_or_default(schema, bag, "oauth_provider") == "google"
                        ? OAuthProvider::google
                        : OAuthProvider::microsoft;
   oauth.flow = request.auth == AuthKind::oauth2_app ? OAuthFlow::app_only : OAuthFlow::delegated;
   oauth.authority = string_or_default(schema, bag, "authority");
   // Graph: the cloud names the sign-in authority unless the bag names one itself.
   if (request.graph() && !member(bag, "authority"))
      oauth.authority = national_cloud(string_or_default(schema, bag, "cloud")).authority;
   while (!oauth.authority.empty() && oauth.authority.back() == '/') oauth.authority.pop_back();
   // Entra's "organizations" endpoint serves any work or school account when no tenant is given.
   oauth.tenant = member(bag, "tenant_id") ? string_or_default(schema, bag, "tenant_id") : "organizations";
   oauth.client_id = string_or_default(schema, bag, "client_id");
   if (member(bag, "client_secret"))
      oauth.client_secret = resolve_text_or_credential(bag, "client_secret", host);
   if (member(bag, "client_certificate")) {
      // A path or the PEM text; read and checked now, so a bad one is named before anything is sent.
      oauth.client_certificate = client_certificate_pem(
          resolve_text_or_credential(bag, "client_certificate", host), "client_certificate");
      ClientCertificate(oauth.client_certificate.view(), "client_certificate");
   }
   oauth.username = request.username;
   oauth.password = request.password.clone();
   oauth.tls = request.tls;
   if (oauth.provider == OAuthProvider::google) {
      if (!oauth.client_certificate.empty())
         throw Failure(RPA_UNSUPPORTED,
                       "client_certificate is for the Microsoft identity platform; "
                       "Google's installed-app sign-in takes a client_secret");
      if (oauth.flow == OAuthFlow::app_only)
         throw Failure(RPA_UNSUPPORTED,
                       "auth_type \"oauth2_app\" is for Microsoft 365; Google's "
                       "app-only access (service accounts) is not supported");
      if (oauth.client_secret.empty())
         throw Failure(RPA_INVALID_PROPERTIES,
                       "invalid properties: client_secret is required when "
                       "oauth_provider is \"google\" (Google's installed-app "
                       "sign-in needs it)");
   }
   return oauth;
}

}  // namespace

void parse_property_bag(const char *json, std::size_t size, SecretDocument &bag) {
   if (!json) throw Failure(RPA_INVALID_PROPERTIES, "invalid properties: none were given");
   const rpa::JsonParseResult parsed =
       rpa::parse_json<rapidjson::kParseValidateEncodingFlag>(bag, json, size);
   if (!parsed)
      throw Failure(RPA_INVALID_PROPERTIES, "invalid properties: not valid JSON (" + parsed.message() + ")");
}

void require_valid(const ActionSchema &schema, const SecretDocument &bag) {
   std::vector<PropertyProblem> problems = schema.check(bag);
   if (!problems.empty()) throw Failure(RPA_INVALID_PROPERTIES, describe_problems(problems));
}

ConnectionKind connection_of(const SecretDocument &bag) {
   const std::string connection = bag["connection"].GetString();  // required by the schema
   return connection == "outlook"        ? ConnectionKind::outlook
          : connection == "ews"          ? ConnectionKind::ews
          : connection == "microsoft365" ? ConnectionKind::microsoft365
                                         : ConnectionKind::email_server;
}

std::string session_name_of(const ActionSchema &schema, const SecretDocument &bag) {
   return string_or_default(schema, bag, "session_name");
}

ConnectionKind ConnectRequest::connection() const {
   if (mail_server()) return ConnectionKind::email_server;
   if (ews()) return ConnectionKind::ews;
   if (graph()) return ConnectionKind::microsoft365;
   return ConnectionKind::outlook;
}

NationalCloud national_cloud(const std::string &cloud) {
   if (cloud == "usgov") return {"https://login.microsoftonline.us", "https://graph.microsoft.us"};
   if (cloud == "usgov_dod") return {"https://login.microsoftonline.us", "https://dod-graph.microsoft.us"};
   if (cloud == "china") return {"https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"};
   return {"https://login.microsoftonline.com", "https://graph.microsoft.com"};
}

namespace {
template <typename Server>
ServerEndpoint endpoint_of(const Server &server, const TlsSettings &tls, std::chrono::milliseconds timeout,
                           const CallContext &context) {
   ServerEndpoint endpoint;
   endpoint.host = server.host;
   endpoint.port = server.port;
   endpoint.tls = server.tls;
   endpoint.tls_guessed = server.tls_guessed;
   endpoint.tls_settings = tls;
   endpoint.timeout = timeout;
   endpoint.proxy = email::proxy_for(tls, server.host, context);
   return endpoint;
}
}  // namespace

ServerEndpoint ConnectRequest::endpoint(const MailServerTarget &server, const CallContext &context) const {
   return endpoint_of(server, tls, timeout, context);
}

ServerEndpoint ConnectRequest::endpoint(const SmtpServer &server, const CallContext &context) const {
   return endpoint_of(server, tls, timeout, context);
}

// The mailbox of every connection type but Outlook (whose store names have spaces): an address or
// a login name, so no spaces, no URL delimiters, no quotes or backslashes.
std::string address_like_mailbox(const ActionSchema &schema, const SecretDocument &bag,
                                 const char *connection) {
   std::string mailbox = string_or_default(schema, bag, "mailbox");
   if (mailbox.find_first_of(" \t/?#\\\"") != std::string::npos)
      throw Failure(RPA_INVALID_PROPERTIES,
                    std::string("invalid properties: mailbox must be the mailbox's e-mail "
                                "address (e.g. sales@contoso.com) for ") +
                        connection + ", or on an IMAP/POP3 server its login name");
   return mailbox;
}

namespace {

// The submission server (RFC 6409 / RFC 8314): port 465 speaks TLS at once, 587 upgrades with
// STARTTLS; smtp_tls_mode auto decides from the port, as tls_mode does for IMAP and POP3.
std::optional<SmtpServer> resolve_smtp(const ActionSchema &schema, const SecretDocument &bag, bool secure) {
   if (!member(bag, "smtp_host")) {
      for (const char *name : {"smtp_port", "smtp_tls_mode"})
         if (member(bag, name))
            throw Failure(RPA_INVALID_PROPERTIES, std::string("invalid properties: ") + name +
                                                      " needs smtp_host, the SMTP server to send through");
      return std::nullopt;
   }
   constexpr std::uint16_t kImplicitPort = 465, kSubmissionPort = 587;
   SmtpServer smtp;
   smtp.host = to_lower_ascii(string_or_default(schema, bag, "smtp_host"));
   const std::string tls_mode = string_or_default(schema, bag, "smtp_tls_mode");
   const SecretValue *port = member(bag, "smtp_port");
   const bool implicit =
       tls_mode == "implicit" || (tls_mode == "auto" && port && port->GetInt() == kImplicitPort);
   smtp.port = port ? static_cast<std::uint16_t>(port->GetInt()) : implicit ? kImplicitPort : kSubmissionPort;
   smtp.tls = implicit                             ? TlsPolicy::implicit
              : (secure || tls_mode == "starttls") ? TlsPolicy::starttls_required
                                                   : TlsPolicy::starttls_if_offered;
   smtp.tls_guessed = tls_mode == "auto";
   return smtp;
}

MailServerTarget resolve_mail_server(const ActionSchema &schema, const SecretDocument &bag) {
   MailServerTarget server;
   const std::string protocol = string_or_default(schema, bag, "protocol");
   server.protocol = protocol == "POP3" ? MailProtocol::pop3 : MailProtocol::imap;
   const bool secure = bool_or_default(schema, bag, "use_secure_connection");
   const std::string tls_mode = string_or_default(schema, bag, "tls_mode");
   const std::uint16_t implicit_port = default_port(schema, protocol, true);
   const SecretValue *port = member(bag, "port");

   // auto: implicit TLS on the protocol's TLS port (993/995), STARTTLS everywhere else.
   bool implicit =
       tls_mode == "implicit" || (tls_mode == "auto" && (port ? port->GetInt() == implicit_port : secure));
   server.host = to_lower_ascii(string_or_default(schema, bag, "host"));
   server.port = port ? static_cast<std::uint16_t>(port->GetInt()) : default_port(schema, protocol, implicit);
   server.tls = implicit                             ? TlsPolicy::implicit
                : (secure || tls_mode == "starttls") ? TlsPolicy::starttls_required
                                                     : TlsPolicy::starttls_if_offered;
   server.tls_guessed = tls_mode == "auto";
   server.mailbox = address_like_mailbox(schema, bag, "email_server");
   server.smtp = resolve_smtp(schema, bag, secure);
   const SecretValue *imap_id = member(bag, "imap_id");
   if (!imap_id) {
      server.imap_id = {{"name", "RPA Email plugin"}, {"version", EMAIL_PLUGIN_VERSION}};
   } else if (imap_id->IsObject()) {
      // RFC 2971: field names at most 30 octets, values at most 1024; sent as quoted strings,
      // so printable ASCII only (the schema checks the shape, nested text is checked here).
      auto printable_ascii = [](std::string_view text) {
         for (char c : text)
            if (c < 0x20 || c > 0x7e) return false;
         return true;
      };
      for (auto &field : imap_id->GetObject()) {
         const std::string_view name(field.name.GetString(), field.name.GetStringLength());
         const std::string_view value(field.value.GetString(), field.value.GetStringLength());
         if (name.empty() || name.size() > 30 || !printable_ascii(name) || !printable_ascii(value))
            throw Failure(RPA_INVALID_PROPERTIES,
                          "invalid properties: imap_id: field \"" + printable(name, 40) +
                              "\" must have a name of 1-30 and a value of at most 1024 printable ASCII "
                              "characters (RFC 2971)");
         server.imap_id.emplace_back(name, value);
      }
   }  // false: nothing
   return server;
}

GraphTarget resolve_graph(const ActionSchema &schema, const SecretDocument &bag) {
   GraphTarget graph;
   const NationalCloud cloud = national_cloud(string_or_default(schema, bag, "cloud"));
   graph.resource = cloud.graph;
   graph.graph_url = member(bag, "graph_url") ? string_or_default(schema, bag, "graph_url") : cloud.graph;
   while (!graph.graph_url.empty() && graph.graph_url.back() == '/') graph.graph_url.pop_back();
   graph.mailbox = to_lower_ascii(address_like_mailbox(schema, bag, "microsoft365"));
   if (!graph.mailbox.empty() && graph.mailbox.find('@') == std::string::npos)
      throw Failure(RPA_INVALID_PROPERTIES,
                    "invalid properties: mailbox must be the mailbox's e-mail address "
                    "for microsoft365 (e.g. sales@contoso.com)");
   return graph;
}

EwsTarget resolve_ews(const ActionSchema &schema, const SecretDocument &bag) {
   EwsTarget ews;
   ews.ews_url = string_or_default(schema, bag, "ews_url");
   ews.domain = to_lower_ascii(string_or_default(schema, bag, "domain"));
   ews.mailbox = to_lower_ascii(address_like_mailbox(schema, bag, "ews"));
   if (!ews.mailbox.empty() && ews.mailbox.find('@') == std::string::npos)
      throw Failure(RPA_INVALID_PROPERTIES,
                    "invalid properties: mailbox must be the mailbox's e-mail address "
                    "for ews (e.g. sales@contoso.com)");
   ews.exchange_version = string_or_default(schema, bag, "exchange_version");
   return ews;
}

}  // namespace

ConnectRequest resolve_connect_request(const ActionSchema &schema, const SecretDocument &bag,
                                       const HostServices &host) {
   ConnectRequest request;
   request.session_name = session_name_of(schema, bag);
   request.timeout = std::chrono::seconds(int_or_default(schema, bag, "timeout_seconds"));
   const ConnectionKind connection = connection_of(bag);
   if (connection == ConnectionKind::outlook) {
      request.target =
          OutlookTarget{string_or_default(schema, bag, "profile"), string_or_default(schema, bag, "mailbox")};
      return request;
   }
   request.tls.ca_file = string_or_default(schema, bag, "ca_file");
   // The target first: the OAuth2 settings depend on the connection type.
   if (connection == ConnectionKind::ews)
      request.target = resolve_ews(schema, bag);
   else if (connection == ConnectionKind::microsoft365)
      request.target = resolve_graph(schema, bag);
   else
      request.target = resolve_mail_server(schema, bag);

   SecretString username = resolve_text_or_credential(bag, "username", host);
   request.username = std::string(username.view());
   if (member(bag, "password")) request.password = resolve_text_or_credential(bag, "password", host);
   const std::string auth_type = string_or_default(schema, bag, "auth_type");
   request.auth = auth_type == "oauth2"       ? AuthKind::oauth2
                  : auth_type == "oauth2_app" ? AuthKind::oauth2_app
                  : auth_type == "negotiate"  ? AuthKind::negotiate
                  : auth_type == "ntlm"       ? AuthKind::ntlm
                                              : AuthKind::password;
   request.spn = string_or_default(schema, bag, "spn");
   if (request.auth == AuthKind::oauth2 || request.auth == AuthKind::oauth2_app)
      request.oauth = resolve_oauth_settings(schema, bag, request, host);

   const std::string proxy = string_or_default(schema, bag, "proxy");
   if (proxy == "system") {
      request.tls.proxy_from_environment = true;
   } else if (!proxy.empty()) {
      try {
         request.tls.proxy = parse_proxy_url(proxy);
      } catch (const std::invalid_argument &error) {
         throw Failure(RPA_INVALID_PROPERTIES, std::string("invalid properties: proxy ") + error.what());
      }
      if (!request.tls.proxy.username.empty())
         throw Failure(RPA_INVALID_PROPERTIES,
                       "invalid properties: proxy: give the proxy's credentials in "
                       "proxy_username and proxy_password, not in the URL");
   }
   if (member(bag, "proxy_username")) {
      request.tls.proxy.username =
          std::string(resolve_text_or_credential(bag, "proxy_username", host).view());
      if (member(bag, "proxy_password"))
         request.tls.proxy.password = resolve_text_or_credential(bag, "proxy_password", host);
   }
   return request;
}

}  // namespace email
