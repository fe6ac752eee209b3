// What EWS says of an item, as the mailbox interface's summary: GetItem's answer for the
// properties get_item_summaries_request asks (ews/ews_item_requests.h). Free of I/O; the ews_soap
// fuzz target feeds it what a server may send.
#pragma once

#include <pugixml.hpp>

#include "mailbox/mailbox.h"

namespace email::ews {

// The summary of a t:Message (or any item) node: ref "ews:<ItemId>", subject, from, to, cc,
// DateTimeSent, size, read, flag, PidTagLastVerbExecuted (answered), Message-ID and the
// attachments that are not inline. `folder` is left to the caller.
MessageSummary summary_of_item(pugi::xml_node item);

}  // namespace email::ews
