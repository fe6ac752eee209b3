#include "actions/connect_action.h"

#include "actions/backend_table.h"
#include "host/session_store.h"
#include "outlook/outlook_backend.h"
#include "properties/connect_request.h"
#include "session/email_session_object.h"
#include "smtp/smtp_backend.h"
#include "util/failure.h"
#include "util/json_writer.h"

namespace email {

ActionOutcome run_connect(const ActionSchema &schema, const SecretDocument &bag, const HostServices &host) {
   if (connection_of(bag) == ConnectionKind::outlook) require_classic_outlook();  // before anything else
   const std::string session_name = session_name_of(schema, bag);
   require_free_session_name(host, session_name);  // before reading the vault or the network

   ConnectRequest request = resolve_connect_request(schema, bag, host);

   const Backend &backend = backend_for(request);
   const char *protocol = backend.protocol();
   const MailServerTarget *server_target = request.mail_server();
   host.info(std::string("Connect: ") + protocol + " " +
             (server_target ? endpoint_label(server_target->host, server_target->port) + " (" +
                                  to_string(server_target->tls) + ") "
                            : std::string()) +
             "as session \"" + session_name + "\"");
   const std::chrono::milliseconds timeout = request.timeout;
   CallContext context(host, timeout, backend.server_label(request));
   OpenedMailbox opened = backend.open(request, context);
   std::unique_ptr<MailClient> client = std::move(opened.client);
   const std::string server = opened.server;
   const std::string username = request.username.empty() ? opened.user : request.username;
   // A backend that reconnects (IMAP, POP3) keeps the request (and its secrets) in the session
   // until close, and so does a sender (SMTP); HTTP services need none: every request is a new
   // HTTP one.
   const MailServerTarget *mail_server = request.mail_server();
   const bool sends_over_smtp = mail_server && mail_server->smtp;
   std::shared_ptr<const ConnectRequest> kept;
   if (backend.reconnects() || sends_over_smtp) {
      kept = std::make_shared<const ConnectRequest>(std::move(request));
   } else {
      request.password.clear();
   }
   EmailSessionObject::Reopener reopen;
   if (backend.reconnects())
      reopen = [kept, &backend](CallContext &again) { return backend.open(*kept, again).client; };
   std::unique_ptr<MessageSender> sender;
   if (sends_over_smtp) {
      try {
         sender = open_smtp_sender(backend, kept, context);
      } catch (const Failure &failure) {
         client->logout(context);  // the mailbox opened; the session does not
         throw Failure(failure.status(), std::string("the mailbox opened, but sending does not (smtp_host ") +
                                             kept->mail_server()->smtp->host + "): " + failure.what());
      }
   }
   const ConnectionFacts facts = client->facts();
   std::string smtp_summary;
   if (sender) {
      const ConnectionFacts sending = sender->facts();
      smtp_summary = endpoint_label(sending.host, static_cast<std::uint16_t>(sending.port)) +
                     (sending.tls_version.empty() ? " WITHOUT encryption" : " with " + sending.tls_version) +
                     " (" + sending.login_method + ")";
   }
   const std::string tls_version = facts.tls_version, tls_found_out = facts.tls_found_out;

   SessionReference session(
       &EmailSessionObject::create(std::move(client), username, timeout, std::move(reopen), std::move(sender))
            ->handle);
   put_session(host, session_name, session.get());  // on a lost race, `session` logs out

   ActionOutcome outcome;
   outcome.result_json =
       JsonWriter()
           .string("session_name", session_name)
           .raw("session", EmailSessionObject::info_json(session.email()), rapidjson::kObjectType)
           .strings("warnings", opened.warnings)
           .finish();
   const std::string transport = !facts.transport.empty() ? " " + facts.transport
                                 : tls_version.empty()
                                     ? std::string(" over ") + protocol + " WITHOUT encryption"
                                     : std::string(" over ") + protocol + " with " + tls_version;
   outcome.message = std::string("connected to ") + server + transport + " as \"" + username +
                     "\"; session \"" + session_name + "\"";
   if (!tls_found_out.empty()) outcome.message += " (tls_mode auto: " + tls_found_out + ")";
   if (sends_over_smtp) outcome.message += "; sends through " + smtp_summary;
   for (const std::string &warning : opened.warnings) outcome.message += ". Warning: " + warning;
   outcome.session = session.get();  // borrowed: the store now holds its own reference
   return outcome;
}

}  // namespace email
