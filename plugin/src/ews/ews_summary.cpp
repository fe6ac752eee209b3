#include "ews/ews_summary.h"

#include <string>
#include <vector>

#include "ews/ews_soap.h"

namespace email::ews {

namespace {

MailAddress mailbox_of(pugi::xml_node mailbox) {
   return {child(mailbox, "Name").child_value(), child(mailbox, "EmailAddress").child_value()};
}

std::vector<MailAddress> recipients(pugi::xml_node list) {
   std::vector<MailAddress> out;
   for (pugi::xml_node mailbox : list.children()) out.push_back(mailbox_of(mailbox));
   return out;
}

}  // namespace

MessageSummary summary_of_item(pugi::xml_node item) {
   MessageSummary summary;
   summary.ref = "ews:" + std::string(child(item, "ItemId").attribute("Id").value());
   summary.subject = child(item, "Subject").child_value();
   pugi::xml_node from = path(item, {"From", "Mailbox"});
   if (from) summary.from = mailbox_of(from);
   summary.to = recipients(child(item, "ToRecipients"));
   summary.cc = recipients(child(item, "CcRecipients"));
   summary.date = child(item, "DateTimeSent").child_value();  // RFC 3339 in UTC
   summary.size = child(item, "Size").text().as_ullong();
   summary.seen = child(item, "IsRead").text().as_bool();
   summary.flagged = std::string(path(item, {"Flag", "FlagStatus"}).child_value()) == "Flagged";
   for (pugi::xml_node property : item.children())
      if (std::string(property.name()).find("ExtendedProperty") != std::string::npos) {
         const int verb = child(property, "Value").text().as_int();
         summary.answered = verb == 102 || verb == 103;
      }
   summary.message_id = child(item, "InternetMessageId").child_value();
   std::vector<AttachmentInfo> attachments;
   for (pugi::xml_node attachment : child(item, "Attachments").children()) {
      if (child(attachment, "IsInline").text().as_bool()) continue;
      AttachmentInfo info;
      info.index = static_cast<unsigned>(attachments.size());
      info.name = child(attachment, "Name").child_value();
      info.size = child(attachment, "Size").text().as_ullong();
      const bool item_attachment = std::string(attachment.name()).find("ItemAttachment") != std::string::npos;
      info.content_type = item_attachment ? "message/rfc822" : child(attachment, "ContentType").child_value();
      if (item_attachment) info.name += ".eml";
      attachments.push_back(std::move(info));
   }
   summary.attachments = std::move(attachments);
   return summary;
}

}  // namespace email::ews
