// OutlookClient: the MailClient of an Outlook session (session/mail_client.h), its mailbox and its
// sender (outlook/outlook_sender.h). Folders are listed from Outlook's folder tree. Windows only.
#pragma once

#include <memory>

#include "outlook/outlook_session.h"
#include "session/mail_client.h"

namespace email {

std::unique_ptr<MailClient> make_outlook_client(std::unique_ptr<OutlookSession> session);

}  // namespace email
