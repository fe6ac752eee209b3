#include "ews/ews_notification_requests.h"

#include <algorithm>

namespace email::ews {

std::string subscribe_streaming_request(const RequestHeader &header, const std::string &folder_id) {
   pugi::xml_document document;
   pugi::xml_node request = begin_request(document, header)
                                .append_child("m:Subscribe")
                                .append_child("m:StreamingSubscriptionRequest");
   request.append_child("t:FolderIds").append_child("t:FolderId").append_attribute("Id") = folder_id.c_str();
   pugi::xml_node types = request.append_child("t:EventTypes");
   for (const char *type : {"NewMailEvent", "CreatedEvent", "MovedEvent", "CopiedEvent"})
      types.append_child("t:EventType").text().set(type);
   return request_text(document);
}

std::string get_streaming_events_request(const RequestHeader &header, const std::string &subscription_id,
                                         unsigned minutes) {
   pugi::xml_document document;
   pugi::xml_node operation = begin_request(document, header).append_child("m:GetStreamingEvents");
   operation.append_child("m:SubscriptionIds")
       .append_child("t:SubscriptionId")
       .text()
       .set(subscription_id.c_str());
   operation.append_child("m:ConnectionTimeout").text().set(std::clamp(minutes, 1u, 30u));
   return request_text(document);
}

std::string unsubscribe_request(const RequestHeader &header, const std::string &subscription_id) {
   pugi::xml_document document;
   begin_request(document, header)
       .append_child("m:Unsubscribe")
       .append_child("m:SubscriptionId")
       .text()
       .set(subscription_id.c_str());
   return request_text(document);
}

}  // namespace email::ews
