#include "outlook/outlook_sender.h"

#include "mime/message_file.h"
#include "outlook/outlook_compose.h"
#include "outlook/outlook_new_item.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

ConnectionFacts outlook_connection_facts(const OutlookSession &session) {
   const OutlookFacts &outlook = session.facts();
   ConnectionFacts facts;
   facts.host = "Outlook";
   facts.server_version = outlook.version;
   facts.login_method = "MAPI profile \"" + outlook.profile + "\"";
   facts.mailbox = outlook.mailbox;
   facts.transport = "through Outlook's object model";
   return facts;
}

SubmissionResult OutlookSender::send(const Submission &submission, MessageSource &message,
                                     CallContext &context) {
   if (submission.recipients.empty()) throw Failure(RPA_INVALID_PROPERTIES, "the message has no recipient");
   mime::MessageFile parsed([&](const ByteSink &sink) { message.read_all(sink); });
   auto directory = outlook_private_directory();
   OutlookNewItem item = outlook_new_item(parsed, *directory);
   for (const std::string &address : submission.bcc) item.bcc += (item.bcc.empty() ? "" : "; ") + address;
   const std::string on_behalf_of =
       !item.from.empty() && !iequals(item.from, session_.facts().user_address) ? item.from : "";
   const bool keep_copy = submission.keep_copy;
   session_.run(context, "Outlook to send the message",
                [item, on_behalf_of, keep_copy, directory](OutlookState &state) {
                   outlook_items::send(state, item, on_behalf_of, keep_copy);
                });
   SubmissionResult result;
   result.accepted = submission.recipients;
   result.server_said =
       "Outlook took the message into its Outbox and sends it with its next send; a recipient its server "
       "cannot deliver to is reported later, by mail";
   result.round_trips = 1;
   result.copy_kept = keep_copy;
   return result;
}

}  // namespace email
