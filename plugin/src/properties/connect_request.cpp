#include "properties/connect_request.h"

#include <rapidjson/error/en.h>

#include "util/failure.h"
#include "util/text.h"

namespace email {

namespace {

const SecretValue *member(const SecretDocument &bag, const char *name) {
   auto found = bag.FindMember(name);
   return found == bag.MemberEnd() ? nullptr : &found->value;
}

std::string string_or_default(const ActionSchema &schema, const SecretDocument &bag,
                              const char *name) {
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
SecretString resolve_text_or_credential(const SecretDocument &bag, const char *name,
                                        const HostServices &host) {
   const SecretValue &value = (*member(bag, name));
   if (value.IsString()) return SecretString(std::string_view(value.GetString(), value.GetStringLength()));
   const SecretValue &reference = value["credential"];
   CredentialRef ref{reference["locker"].GetString(), reference["name"].GetString(),
                     reference["attribute"].GetString()};
   SecretString secret = host.vault_get(ref, name);
   if (secret.empty())
      throw Failure(RPA_CREDENTIAL_NOT_FOUND, std::string(name) + ": the Credential Vault entry (locker \"" +
                                                  ref.locker + "\", credential \"" + ref.name +
                                                  "\", attribute \"" + ref.attribute + "\") is empty");
   return secret;
}

std::uint16_t default_port(const ActionSchema &schema, const std::string &protocol, bool tls) {
   const rapidjson::Value &by_protocol = (*schema.property_schema("port"))["x-default-by-protocol"];
   return static_cast<std::uint16_t>(by_protocol[protocol.c_str()][tls ? "tls" : "plain"].GetInt());
}

}  // namespace

void parse_property_bag(const char *json, std::size_t size, SecretDocument &bag) {
   if (!json) throw Failure(RPA_INVALID_PROPERTIES, "invalid properties: none were given");
   bag.Parse<rapidjson::kParseValidateEncodingFlag>(json, size);
   if (bag.HasParseError())
      throw Failure(RPA_INVALID_PROPERTIES,
                    std::string("invalid properties: not valid JSON (") +
                        rapidjson::GetParseError_En(bag.GetParseError()) + " at byte " +
                        std::to_string(bag.GetErrorOffset()) + ")");
}

void require_valid(const ActionSchema &schema, const SecretDocument &bag) {
   std::vector<PropertyProblem> problems = schema.check(bag);
   if (!problems.empty()) throw Failure(RPA_INVALID_PROPERTIES, describe_problems(problems));
}

ConnectionKind connection_of(const SecretDocument &bag) {
   const std::string connection = bag["connection"].GetString();  // required by the schema
   return connection == "outlook" ? ConnectionKind::outlook
          : connection == "ews"   ? ConnectionKind::ews
                                  : ConnectionKind::email_server;
}

std::string session_name_of(const ActionSchema &schema, const SecretDocument &bag) {
   return string_or_default(schema, bag, "session_name");
}

ConnectRequest resolve_connect_request(const ActionSchema &schema, const SecretDocument &bag,
                                       const HostServices &host) {
   ConnectRequest request;
   request.session_name = session_name_of(schema, bag);
   request.connection = connection_of(bag);
   request.endpoint.timeout =
       std::chrono::seconds(int_or_default(schema, bag, "timeout_seconds"));
   if (request.connection != ConnectionKind::email_server) return request;

   const std::string protocol = string_or_default(schema, bag, "protocol");
   request.protocol = protocol == "POP3" ? MailProtocol::pop3 : MailProtocol::imap;
   const bool secure = bool_or_default(schema, bag, "use_secure_connection");
   const std::string tls_mode = string_or_default(schema, bag, "tls_mode");
   const std::uint16_t implicit_port = default_port(schema, protocol, true);
   const SecretValue *port = member(bag, "port");

   // auto: implicit TLS on the protocol's TLS port (993/995), STARTTLS everywhere else.
   bool implicit = tls_mode == "implicit" ||
                   (tls_mode == "auto" && (port ? port->GetInt() == implicit_port : secure));
   request.endpoint.host = to_lower_ascii(string_or_default(schema, bag, "host"));
   request.endpoint.port = port ? static_cast<std::uint16_t>(port->GetInt())
                                : default_port(schema, protocol, implicit);
   request.endpoint.tls = implicit                             ? TlsPolicy::implicit
                          : (secure || tls_mode == "starttls") ? TlsPolicy::starttls_required
                                                               : TlsPolicy::starttls_if_offered;
   request.endpoint.tls_settings.ca_file = string_or_default(schema, bag, "ca_file");

   SecretString username = resolve_text_or_credential(bag, "username", host);
   request.username = std::string(username.view());
   request.password = resolve_text_or_credential(bag, "password", host);
   return request;
}

}  // namespace email
