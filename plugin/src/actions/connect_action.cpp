#include "actions/connect_action.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "actions/session_store.h"
#include "actions/mail_connection.h"
#include "properties/connect_request.h"
#include "session/email_session_object.h"
#include "util/failure.h"

namespace email {

ConnectAction::ConnectAction(const char *schema_text) : schema_(schema_text) {
   descriptor_.struct_size = sizeof(rpa_action_descriptor);
   descriptor_.id = "email.connect/1";
   descriptor_.package = "Email";
   descriptor_.name = "Connect";
   descriptor_.label_en = "Connect";
   descriptor_.label_ja = "接続";
   descriptor_.description_en =
       "Connects to a mailbox (Outlook, IMAP/POP3 email server or EWS) and keeps the connection "
       "under a session name for the other Email actions.";
   descriptor_.schema_json = schema_.text();
}

ActionOutcome ConnectAction::invoke(const char *properties_json, std::size_t properties_size,
                                    const HostServices &host) const {
   SecretDocument bag;
   parse_property_bag(properties_json, properties_size, bag);
   require_valid(schema_, bag);
   const ConnectionKind connection = connection_of(bag);
   if (connection == ConnectionKind::outlook)
      throw Failure(RPA_UNSUPPORTED,
                    "connection \"outlook\" drives desktop Microsoft Outlook, which needs a Windows "
                    "bot runner; this host is not running on Windows. Use \"email_server\" (IMAP/POP3) "
                    "or \"ews\" instead.");
   const std::string session_name = session_name_of(schema_, bag);
   require_free_session_name(host, session_name);  // before reading the vault or the network

   ConnectRequest request = resolve_connect_request(schema_, bag, host);

   const char *protocol = request.connection == ConnectionKind::ews ? "EWS"
                          : request.protocol == MailProtocol::imap ? "IMAP"
                                                                   : "POP3";
   host.info(std::string("Connect: ") + protocol + " " +
             (request.connection == ConnectionKind::ews ? "" : request.endpoint.label() + " (" +
                                                                   to_string(request.endpoint.tls) + ") ") +
             "as session \"" + session_name + "\"");
   CallContext context(host, request.endpoint.timeout, server_label(request));
   OpenedMailbox opened = open_mailbox(request, context);
   std::unique_ptr<MailClient> client = std::move(opened.client);
   request.password.clear();
   const std::string server = opened.server;
   const std::string tls_version = client->facts().tls_version;

   SessionReference session(&EmailSessionObject::create(std::move(client), request.username,
                                                        request.endpoint.timeout)
                                 ->handle);
   put_session(host, session_name, session.get());  // on a lost race, `session` logs out

   ActionOutcome outcome;
   const std::string info = EmailSessionObject::info_json(session.email());
   rapidjson::StringBuffer buffer;
   rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
   json.StartObject();
   json.Key("session_name");
   json.String(session_name.c_str());
   json.Key("session");
   json.RawValue(info.c_str(), info.size(), rapidjson::kObjectType);
   json.Key("warnings");
   json.StartArray();
   for (const std::string &warning : opened.warnings) json.String(warning.c_str());
   json.EndArray();
   json.EndObject();
   outcome.result_json = buffer.GetString();
   outcome.message = std::string("connected to ") + server + " over " + protocol +
                     (tls_version.empty() ? " WITHOUT encryption" : " with " + tls_version) +
                     " as \"" + request.username + "\"; session \"" + session_name + "\"";
   for (const std::string &warning : opened.warnings) outcome.message += ". Warning: " + warning;
   outcome.session = session.get();  // borrowed: the store now holds its own reference
   return outcome;
}

}  // namespace email
