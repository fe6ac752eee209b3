#include "ews/ews_sender.h"

#include "ews/ews_client.h"
#include "ews/ews_item_requests.h"
#include "ews/ews_send_requests.h"
#include "session/exchange_refusals.h"
#include "util/failure.h"
#include "util/text.h"

namespace email {

ConnectionFacts EwsSender::facts() const { return client_.facts(); }

void EwsSender::check(const ews::Response &response, const char *operation) const {
   for (const ews::ResponseMessage &message : response.messages) {
      if (message.response_class != "Error") continue;
      const ConnectionFacts facts = client_.facts();
      throw_if_sending_refused(
          message.code, false,
          "Exchange at " + endpoint_label(facts.host, static_cast<std::uint16_t>(facts.port)),
          client_.mailbox_address(),
          message.code + (message.text.empty() ? "" : ": " + printable(message.text, 300)));
      client_.fail(message, operation);
   }
}

SubmissionResult EwsSender::send(const Submission &submission, MessageSource &message, CallContext &context) {
   if (submission.recipients.empty()) throw Failure(RPA_INVALID_PROPERTIES, "the message has no recipient");
   std::string mime;
   mime.reserve(static_cast<std::size_t>(submission.size));
   message.read_all([&](std::string_view chunk) { mime.append(chunk); });
   SubmissionResult result;
   if (!client_.header().delegate_mailbox.empty() && !submission.keep_copy) {
      result.round_trips = send_draft(mime, submission.bcc, context);
   } else {
      ews::Response response;
      client_.call(ews::send_message_request(client_.header(), mime, submission.bcc, submission.keep_copy),
                   response, context, "CreateItem");
      check(response, "CreateItem");
      result.round_trips = 1;
   }
   result.accepted = submission.recipients;
   result.server_said =
       "NoError: Exchange took the message; a recipient it cannot deliver to is reported later, in a "
       "non-delivery report";
   result.copy_kept = submission.keep_copy;
   return result;
}

unsigned EwsSender::send_draft(const std::string &mime, const std::vector<std::string> &bcc,
                               CallContext &context) {
   ews::Response created;
   client_.call(ews::draft_request(client_.header(), mime, bcc), created, context, "CreateItem");
   check(created, "CreateItem");
   const pugi::xml_node id =
       ews::child(ews::child(created.messages.front().node, "Items").first_child(), "ItemId");
   const std::string item = id.attribute("Id").value();
   if (item.empty())
      throw Failure(RPA_PROTOCOL_ERROR,
                    "Exchange answered the draft of the message to send without its ItemId");
   try {
      ews::Response sent;
      client_.call(ews::send_item_request(client_.header(), item, id.attribute("ChangeKey").value()), sent,
                   context, "SendItem");
      check(sent, "SendItem");
   } catch (const Failure &) {
      try {  // no draft left behind; the failure is what the caller hears of
         ews::Response deleted;
         client_.call(ews::delete_item_request(client_.header(), item, true), deleted, context, "DeleteItem");
      } catch (const Failure &) {}
      throw;
   }
   return 2;
}

}  // namespace email
