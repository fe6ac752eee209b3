// The EWS streaming notification operations (learn.microsoft.com/exchange/client-developer/
// exchange-web-services/notification-subscriptions-mailbox-events-and-ews-in-exchange), built with
// pugixml: Subscribe with a StreamingSubscriptionRequest, GetStreamingEvents, Unsubscribe.
#pragma once

#include <string>

#include "ews/ews_soap.h"

namespace email::ews {

// Subscribe to the events that bring mail into the folder `folder_id` (NewMailEvent, CreatedEvent,
// MovedEvent, CopiedEvent), streamed (m:StreamingSubscriptionRequest). Answered with a
// SubscribeResponseMessage carrying m:SubscriptionId.
std::string subscribe_streaming_request(const RequestHeader &header, const std::string &folder_id);
// GetStreamingEvents for one subscription, the connection kept open `minutes` (1-30).
std::string get_streaming_events_request(const RequestHeader &header, const std::string &subscription_id,
                                         unsigned minutes);
// Unsubscribe (ends a subscription before Exchange would let it lapse).
std::string unsubscribe_request(const RequestHeader &header, const std::string &subscription_id);

}  // namespace email::ews
