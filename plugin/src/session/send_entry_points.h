// The C entry points of "email.send/2" (rpa/ext/email_send.h) on EmailSessionObject: the request
// read and checked (mime/outgoing_message.h), the message composed or spooled
// (mime/message_composer.h) before anything goes out, sent through the session's MessageSender
// under its lock, and a copy saved in the "sent" folder as the request asks.
#pragma once

#include <string>

#include "rpa/ext/email_send.h"

namespace email {

// Sets every function of `table` (its handle is the session object's business).
void fill_send_interface(rpa_email_send &table);

// Whether the SMTP server `host` keeps a copy of what it sends in the sender's Sent folder
// itself (Gmail, Microsoft 365, Outlook.com), so save_copy "auto" saves none.
bool server_saves_sent_copy(const std::string &host);

}  // namespace email
