#include "outlook/outlook_compose.h"

#include <windows.h>

#include "outlook/outlook_errors.h"

namespace email::outlook_items {

namespace {

using com::Variant;

// MAPI properties set through PropertyAccessor (Microsoft's "Referencing Properties by Namespace").
constexpr const char kInternetMessageId[] = "http://schemas.microsoft.com/mapi/proptag/0x1035001F";
constexpr const char kInReplyToId[] = "http://schemas.microsoft.com/mapi/proptag/0x1042001F";
constexpr const char kInternetReferences[] = "http://schemas.microsoft.com/mapi/proptag/0x1039001F";
constexpr const char kAttachContentId[] = "http://schemas.microsoft.com/mapi/proptag/0x3712001F";

constexpr long kMailItem = 0;  // OlItemType.olMailItem
constexpr long kByValue = 1;   // OlAttachmentType.olByValue
constexpr long kNormal = 1;    // OlImportance.olImportanceNormal

void set_property(const com::Object &object, const char *schema_name, const std::string &value) {
   object.get("PropertyAccessor")
       .object("PropertyAccessor")
       .call("SetProperty", {Variant::text(schema_name), Variant::text(value)});
}

// A property a store may refuse to take from a program: it then keeps its own.
void set_property_if_taken(const com::Object &object, const char *schema_name, const std::string &value) {
   if (value.empty()) return;
   try {
      set_property(object, schema_name, value);
   } catch (const com::Error &error) {
      if (com::is_busy(error.hr()) || error.hr() == RPC_E_DISCONNECTED || is_guard_refusal(error)) throw;
   }
}

}  // namespace

void fill_item(const com::Object &item, const OutlookNewItem &message) {
   item.put("Subject", Variant::text(message.subject));
   if (!message.to.empty()) item.put("To", Variant::text(message.to));
   if (!message.cc.empty()) item.put("CC", Variant::text(message.cc));
   if (!message.bcc.empty()) item.put("BCC", Variant::text(message.bcc));
   if (!message.reply_to.empty()) {
      com::Object reply_to = item.get("ReplyRecipients").object("ReplyRecipients");
      for (const std::string &address : message.reply_to) reply_to.call("Add", {Variant::text(address)});
   }
   // Body first: setting HTMLBody after it makes the item HTML, with Body derived from it.
   if (message.text) item.put("Body", Variant::text(*message.text));
   if (message.html) item.put("HTMLBody", Variant::text(*message.html));
   if (message.importance != kNormal) item.put("Importance", Variant::number(message.importance));
   com::Object attachments = item.get("Attachments").object("Attachments");
   for (const OutlookNewAttachment &attachment : message.attachments) {
      com::Object added = attachments
                              .call("Add", {Variant::text(attachment.file), Variant::number(kByValue),
                                            Variant::number(1), Variant::text(attachment.name)})
                              .object("Add");
      if (!attachment.content_id.empty()) set_property(added, kAttachContentId, attachment.content_id);
   }
   set_property_if_taken(item, kInternetMessageId, message.message_id);
   set_property_if_taken(item, kInReplyToId, message.in_reply_to);
   set_property_if_taken(item, kInternetReferences, message.references);
}

void send(OutlookState &state, const OutlookNewItem &message, const std::string &on_behalf_of,
          bool keep_copy) {
   outlook_step("sending the message", [&] {
      com::Object item =
          state.application.call("CreateItem", {Variant::number(kMailItem)}).object("CreateItem");
      fill_item(item, message);
      if (!on_behalf_of.empty()) item.put("SentOnBehalfOfName", Variant::text(on_behalf_of));
      if (!keep_copy) item.put("DeleteAfterSubmit", Variant::boolean(true));
      item.call("Send");  // a protected member: the object model guard may refuse it here
   });
}

}  // namespace email::outlook_items
