// The C entry points of "email.mailbox/1" (rpa/ext/email_mailbox.h) on EmailSessionObject:
// argument checks, the call through the session's one lock and reconnect policy
// (EmailSessionObject::call), JSON in and out (mailbox/mailbox_json.h), and attachments and
// bodies read with GMime from the raw message (mime/message_file.h) for every protocol.
#pragma once

#include "rpa/ext/email_mailbox.h"

namespace email {

// Sets every function of `table` (its handle is the session object's business).
void fill_mailbox_interface(rpa_email_mailbox &table);

}  // namespace email
